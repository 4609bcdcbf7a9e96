package io.tfoagent.it.races;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.ResultLine;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Connections that did open, then broke (DESIGN.md hazard 13): against a server that answers the
 * first request head at once and then resets the connection (SO_LINGER 0) without reading the
 * rest. A ConnectException tells retry logic "nothing was sent", which is false here; the
 * application must see the very outcomes it sees without the agent. Cases:
 * <ul>
 * <li>{@code get-read-write}: a GET (rides in the SYN), read the response (the data is there
 *     even once the RST has come: it must be returned), wait for the RST, write a second GET;
 * <li>{@code get-wait-write}: a GET, wait for the RST without reading, write a second GET (it
 *     fails: reset, broken pipe), then read (the response is still queued: it must be returned);
 * <li>{@code post-large-body}: a POST with a body far larger than the socket buffers, in one
 *     write call: the server answers 413 on its head and resets, so the write fails while it is
 *     under way; then read the 413.
 * </ul>
 * The wait for the RST is the test's own look at TCP_INFO (state CLOSE), bounded, so that each
 * step meets the same socket state with and without the agent.
 *
 * <p>Prints {@code RESULT reset-<case> api=.. rounds=.. deferred=.. rst_seen=.. first=<tally>
 * second=<tally>} (opening: the first write; first, second: the steps after it).
 * Arguments: {@code <host> <port> <rounds> <api>[,<api>] <case>[,<case>...]}, one RESULT line per api
 * and case. Exits 0 once all rounds ran.
 */
public final class ResetAfterAnswerClient {
    private static final long RST_WAIT_NANOS = Duration.ofSeconds(2).toNanos();
    private static final int LARGE_BODY = 16 * 1024 * 1024;

    private ResetAfterAnswerClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofSeconds(90));
        int rounds = Integer.parseInt(args[2]);
        byte[] largePost = largePost();
        for (String api : args[3].split(",")) {
            for (String kase : args[4].split(",")) {
                run(target, rounds, api, kase, largePost);
            }
        }
        System.exit(0);
    }

    private static void run(InetSocketAddress target, int rounds, String api, String kase, byte[] largePost)
            throws IOException, ReflectiveOperationException {
        Tally opening = new Tally();
        Tally first = new Tally();
        Tally second = new Tally();
        int deferred = 0;
        int rstSeen = 0;
        for (int i = 0; i < rounds; i++) {
            int round = i;
            try (ClientConnection c = ClientConnection.open(api, target)) {
                deferred += c.deferred() ? 1 : 0;
                switch (kase) {
                    case "get-read-write":
                        if (step(opening, () -> write(c, ClientSockets.request("GET", "/reset-" + round)))) {
                            step(first, c::readResponse);
                            rstSeen += awaitReset(c) ? 1 : 0;
                            step(second, () -> write(c, ClientSockets.request("GET", "/again-" + round)));
                        }
                        break;
                    case "get-wait-write":
                        if (step(opening, () -> write(c, ClientSockets.request("GET", "/reset-" + round)))) {
                            rstSeen += awaitReset(c) ? 1 : 0;
                            step(first, () -> write(c, ClientSockets.request("GET", "/again-" + round)));
                            step(second, c::readResponse);
                        }
                        break;
                    case "post-large-body":
                        step(first, () -> write(c, largePost));
                        rstSeen += awaitReset(c) ? 1 : 0;
                        step(second, c::readResponse);
                        break;
                    default:
                        throw new IllegalArgumentException("case: get-read-write, get-wait-write or post-large-body");
                }
            }
        }
        new ResultLine("reset-" + kase).with("api", api).with("rounds", rounds).with("deferred", deferred)
                .with("rst_seen", rstSeen).with("opening", opening).with("first", first).with("second", second)
                .print();
    }

    /** One I/O step: {@code ok} for a write that returned, the status line for a read. */
    private interface Step {
        String run() throws IOException;
    }

    /** Runs one step and counts its outcome, or the class of what it threw; true when it did not throw. */
    private static boolean step(Tally tally, Step step) {
        try {
            tally.add(step.run());
            return true;
        } catch (IOException e) {
            tally.thrown(e);
            return false;
        }
    }

    private static String write(ClientConnection c, byte[] bytes) throws IOException {
        c.write(bytes);
        return Tally.OK;
    }

    /** Waits, bounded, until the kernel has taken the server's RST (state CLOSE); false if it did not come. */
    private static boolean awaitReset(ClientConnection c) throws IOException {
        long deadline = System.nanoTime() + RST_WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            if (LinuxSocket.tcpInfo(c.fd).state() == TcpInfo.STATE_CLOSE) {
                return true;
            }
            LockSupport.parkNanos(100_000); // the gap between polls; the deadline bounds the wait
        }
        return false;
    }

    private static byte[] largePost() {
        byte[] head = ("POST /large HTTP/1.1\r\nHost: races\r\nContent-Length: " + LARGE_BODY + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + LARGE_BODY];
        System.arraycopy(head, 0, all, 0, head.length);
        return all;
    }
}
