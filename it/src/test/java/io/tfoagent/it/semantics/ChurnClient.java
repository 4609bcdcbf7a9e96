package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Many fresh connections in one JVM, of every kind the agent follows (DESIGN.md §4 hazard 6: per
 * socket state released on close, fd numbers reused by the OS): in turn a GET on a Socket (its
 * request rides in the SYN), a connect-then-close probe (deferred, closed unwritten), a POST on a
 * blocking SocketChannel (bare SYN first), another probe. Each probe goes to a port of its own
 * (nothing listens there; a deferred connect sends nothing, so nothing is refused): a destination
 * once probed is no longer deferred, and every probe should exercise the deferred-then-closed path.
 *
 * <p>Arguments: {@code <host> <httpPort> <probeBasePort> <count>}. Prints {@code RESULT churn}
 * with the outcomes and this process's open fd count before and after, then {@code DONE}, and
 * waits until stdin ends (so the test can look at its heap) before it exits: 0 when every GET
 * and POST got a 200 and every probe returned (connected, or refused).
 */
public final class ChurnClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int BOUND_MILLIS = 5000;
    private static final int WARM_UP = 8;

    private ChurnClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        PeerLife.armLifetime(Duration.ofMinutes(1));
        String host = args[0];
        InetSocketAddress http = ClientSockets.address(host, Integer.parseInt(args[1]));
        int probeBase = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        // Warm-up: classes, the agent's first-use costs and the JDK's lazily opened fds, before counting fds.
        Tally warmUp = new Tally();
        for (int i = 0; i < WARM_UP; i++) {
            once(i, http, ClientSockets.address(host, probeBase + count + i), warmUp);
        }
        long fdsBefore = openFds();
        Tally tally = new Tally();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            once(i, http, ClientSockets.address(host, probeBase + i / 2), tally);
        }
        long millis = ClientSockets.millisSince(start);
        long fdsAfter = openFds();
        boolean pass = tally.failures == 0 && warmUp.failures == 0;
        new ResultLine("churn").with("pass", pass).with("gets", tally.gets).with("posts", tally.posts)
                .with("probes", tally.probes).with("probesUp", tally.probesUp).with("failures", tally.failures)
                .with("firstFailure", tally.firstFailure)
                .with("fdsBefore", fdsBefore).with("fdsAfter", fdsAfter).with("ms", millis).print();
        System.out.println("DONE");
        try (InputStream in = System.in) {
            while (in.read() != -1) {
                // The test closes stdin once it has looked at this JVM.
            }
        }
        System.exit(pass ? 0 : 1);
    }

    private static void once(int i, InetSocketAddress http, InetSocketAddress probe, Tally tally) {
        try {
            switch (i % 4) {
                case 0:
                    tally.record(get(http, "/churn-" + i), "get");
                    break;
                case 2:
                    tally.record(post(http, "/churn-" + i), "post");
                    break;
                default:
                    // Up (deferred: nothing asked) or refused (not deferred): either way the probe is done.
                    try (Socket socket = new Socket()) {
                        socket.connect(probe, CONNECT_TIMEOUT_MILLIS);
                        tally.probesUp++;
                    } catch (ConnectException e) {
                        // nothing listens there
                    }
                    tally.record("HTTP/1.1 200 OK", "probe");
                    break;
            }
        } catch (IOException e) {
            tally.record(e.toString(), "failure");
        }
    }

    private static String get(InetSocketAddress target, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(BOUND_MILLIS);
            socket.getOutputStream().write(ClientSockets.request("GET", path));
            return ClientSockets.statusLine(socket.getInputStream());
        }
    }

    private static String post(InetSocketAddress target, String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(target);
                Watchdog watchdog = Watchdog.closeAfter(channel, BOUND_MILLIS)) {
            ByteBuffer request = ByteBuffer.wrap(ClientSockets.request("POST", path));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            ByteBuffer status = ByteBuffer.allocate(15); // "HTTP/1.1 200 OK"
            while (status.hasRemaining() && channel.read(status) >= 0) {
                // reads until the status line is in
            }
            return new String(status.array(), 0, status.position(), StandardCharsets.US_ASCII);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static final class Tally {
        int gets;
        int posts;
        int probes;
        int failures;
        int probesUp;
        String firstFailure = "none";

        void record(String status, String kind) {
            if (!kind.equals("failure") && status.equals("HTTP/1.1 200 OK")) {
                switch (kind) {
                    case "get":
                        gets++;
                        break;
                    case "post":
                        posts++;
                        break;
                    default:
                        probes++;
                        break;
                }
                return;
            }
            failures++;
            if (firstFailure.equals("none")) {
                firstFailure = kind + ":" + status;
            }
        }
    }
}
