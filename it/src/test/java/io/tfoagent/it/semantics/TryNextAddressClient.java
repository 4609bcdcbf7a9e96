package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The loop of clients that try each resolved address in turn: connect with a timeout, send the
 * request and read the status line; on {@link ConnectException} or {@link SocketTimeoutException}
 * go on to the next address (DESIGN.md §4 hazard 8). With a cookie cached for a dead first address,
 * connect() "succeeds" and the first write puts the request in the SYN; the connect timeout must
 * still come out, as connect()'s {@code SocketTimeoutException: Connect timed out}, from the read
 * after it, within the connect timeout, in time for the loop to move on. (A loop around connect()
 * alone, like Apache HttpClient's connection operator, cannot be helped this way: it has moved on
 * before anything fails; the agent then stops deferring to that address, see README.)
 *
 * <p>Arguments: {@code <port> <connectTimeoutMillis> <boundMillis> <host>...}. Prints a
 * {@code RESULT attempt-<host>} line per address tried and {@code RESULT served} with the address
 * that answered; exits 0 when one answered 200 within the bound.
 */
public final class TryNextAddressClient {
    private static volatile String running = "start";

    private TryNextAddressClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        int port = Integer.parseInt(args[0]);
        int connectTimeout = Integer.parseInt(args[1]);
        long bound = Long.parseLong(args[2]);
        PeerLife.armStdinEnd();
        PeerLife.armLifetime(Duration.ofMillis((args.length - 3) * bound + 2000), () -> running);
        ClientSockets.loadNative();
        long start = System.nanoTime();
        for (int a = 3; a < args.length; a++) {
            running = args[a];
            InetSocketAddress target = ClientSockets.address(args[a], port);
            Socket socket = ClientSockets.newSocket();
            long attemptStart = System.nanoTime();
            boolean deferred = false;
            try (Watchdog watchdog = Watchdog.closeAfter(socket, bound)) {
                String status;
                try {
                    socket.connect(target, connectTimeout);
                    deferred = ClientSockets.deferred(socket);
                    socket.getOutputStream().write(ClientSockets.request("GET", "/try-next"));
                    socket.getOutputStream().flush();
                    // Longer than the watchdog: only a connect timeout moves the loop on, never this one.
                    socket.setSoTimeout((int) bound * 2);
                    status = ClientSockets.statusLine(socket.getInputStream());
                } catch (ConnectException | SocketTimeoutException e) {
                    new ResultLine("attempt-" + args[a]).with("deferred", deferred).with("hung", watchdog.fired())
                            .with("ms", ClientSockets.millisSince(attemptStart)).thrown(e).print();
                    socket.close();
                    continue;
                } catch (IOException e) {
                    // Neither: the loop does not move on, the application sees this error.
                    new ResultLine("attempt-" + args[a]).with("deferred", deferred).with("hung", watchdog.fired())
                            .with("ms", ClientSockets.millisSince(attemptStart)).thrown(e).print();
                    new ResultLine("served").with("pass", false).with("host", "none")
                            .with("ms", ClientSockets.millisSince(start)).print();
                    System.exit(1);
                    return;
                }
                long millis = ClientSockets.millisSince(start);
                boolean pass = status.equals("HTTP/1.1 200 OK") && millis < bound;
                new ResultLine("attempt-" + args[a]).with("deferred", deferred).with("hung", watchdog.fired())
                        .with("ms", ClientSockets.millisSince(attemptStart)).thrown(null).print();
                new ResultLine("served").with("pass", pass).with("host", args[a]).with("status", status)
                        .with("ms", millis).print();
                socket.close();
                System.exit(pass ? 0 : 1);
            }
        }
        new ResultLine("served").with("pass", false).with("host", "none").with("ms", ClientSockets.millisSince(start))
                .print();
        System.exit(1);
    }
}
