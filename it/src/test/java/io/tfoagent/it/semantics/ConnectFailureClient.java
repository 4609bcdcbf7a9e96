package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Connects to a destination that will not have it (DESIGN.md §4 hazard 3), the way applications
 * do: {@code connect}, then the first write, then a read; and reports which exception came out
 * of which call, and when. With a cookie cached, connect() returns before anything is sent, so
 * the failure can only show at the first write or read; the application must still see a
 * {@link ConnectException} (refused) or {@link SocketTimeoutException} (its connect timeout).
 *
 * <p>Arguments: {@code <refused|timeout> <connectTimeoutMillis> <boundMillis> <attempt>...}, each
 * attempt {@code <api>-<bytes>@<host>@<port>}: api {@code socket} ({@code Socket.connect(addr,
 * timeout)}), {@code channel} (blocking {@code SocketChannel.connect(addr)}, no timeout) or
 * {@code adaptor} ({@code channel.socket().connect(addr, timeout)}, then channel writes); bytes
 * {@code get} (replay-safe, rides in the SYN) or {@code raw} (not replay-safe: a bare SYN first).
 * Nothing sets SO_TIMEOUT: the application relies on its connect timeout, and a watchdog of
 * {@code boundMillis} only tells a hang; a call that even closing the socket does not end is cut
 * short by the JVM's own lifetime ({@link PeerLife}, exit 3). Exit 0 when every attempt failed the
 * expected way in time.
 */
public final class ConnectFailureClient {
    private static final byte[] RAW = "HELO semantics\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Past every attempt's bound: the client exits, saying which attempt never came back. */
    private static final long LIFETIME_SLACK_MILLIS = 2000;
    private static volatile String running = "start";

    private ConnectFailureClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        boolean refused = args[0].equals("refused");
        int connectTimeout = Integer.parseInt(args[1]);
        long bound = Long.parseLong(args[2]);
        PeerLife.armStdinEnd();
        PeerLife.armLifetime(Duration.ofMillis((args.length - 3) * bound + LIFETIME_SLACK_MILLIS), () -> running);
        ClientSockets.loadNative();
        boolean allPassed = true;
        for (int a = 3; a < args.length; a++) {
            running = args[a];
            String[] parts = args[a].split("@");
            String[] kind = parts[0].split("-");
            InetSocketAddress target = ClientSockets.address(parts[1], Integer.parseInt(parts[2]));
            byte[] bytes = kind[1].equals("get") ? ClientSockets.request("GET", "/never") : RAW;
            Attempt attempt = new Attempt();
            long start = System.nanoTime();
            switch (kind[0]) {
                case "socket":
                    socket(attempt, target, connectTimeout, bytes, bound);
                    break;
                case "channel":
                case "adaptor":
                    channel(attempt, target, kind[0].equals("adaptor") ? connectTimeout : -1, bytes, bound);
                    break;
                default:
                    throw new IllegalArgumentException(args[a]);
            }
            long millis = ClientSockets.millisSince(start);
            boolean expected = refused
                    ? attempt.thrown instanceof ConnectException
                    : attempt.thrown instanceof SocketTimeoutException || (attempt.thrown instanceof ConnectException
                            && String.valueOf(attempt.thrown.getMessage()).contains("timed out"));
            boolean pass = expected && !attempt.hung && millis < bound;
            allPassed &= pass;
            new ResultLine(parts[0] + "@" + parts[1]).with("pass", pass).with("deferred", attempt.deferred)
                    .with("at", attempt.at).with("hung", attempt.hung).with("ms", millis).thrown(attempt.thrown)
                    .print();
        }
        System.exit(allPassed ? 0 : 1);
    }

    private static void socket(Attempt attempt, InetSocketAddress target, int connectTimeout, byte[] bytes,
            long bound) throws Exception {
        Socket socket = ClientSockets.newSocket();
        attempt.run(socket, bound, () -> {
            socket.connect(target, connectTimeout);
            attempt.deferred = ClientSockets.deferred(socket);
            attempt.at = "write";
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            attempt.at = "read";
            socket.getInputStream().read();
        });
    }

    /** {@code connectTimeout} below 0: the channel's own connect, which has no timeout. */
    private static void channel(Attempt attempt, InetSocketAddress target, int connectTimeout, byte[] bytes,
            long bound) throws Exception {
        SocketChannel channel = ClientSockets.newChannel();
        attempt.run(channel, bound, () -> {
            if (connectTimeout < 0) {
                channel.connect(target);
            } else {
                channel.socket().connect(target, connectTimeout);
            }
            attempt.deferred = ClientSockets.deferred(channel);
            attempt.at = "write";
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            attempt.at = "read";
            channel.read(ByteBuffer.allocate(64));
        });
    }

    private interface Steps {
        void run() throws Exception;
    }

    private static final class Attempt {
        String at = "connect";
        boolean deferred;
        boolean hung;
        Throwable thrown;

        void run(Closeable socket, long bound, Steps steps) throws Exception {
            try (Closeable s = socket; Watchdog watchdog = Watchdog.closeAfter(socket, bound)) {
                try {
                    steps.run();
                    at = "none"; // it worked: the destination was not dead after all
                } catch (IOException e) {
                    hung = watchdog.fired();
                    thrown = e;
                }
            }
        }
    }
}
