package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The loop of clients that try each resolved address in turn (Apache HttpClient's connection
 * operator, JDK HttpURLConnection with several A records): connect with a timeout and send the
 * request; on {@link ConnectException} or {@link SocketTimeoutException} go on to the next address
 * (DESIGN.md §4 hazard 8). With a cookie cached for a dead first address, connect() "succeeds";
 * the failure must still come out of the first write, in time for the loop to move on.
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
                try {
                    socket.connect(target, connectTimeout);
                    deferred = ClientSockets.deferred(socket);
                    socket.getOutputStream().write(ClientSockets.request("GET", "/try-next"));
                    socket.getOutputStream().flush();
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
                }
                // The request is out: from here on, a failure is the application's to report, not a reason to retry.
                socket.setSoTimeout((int) bound);
                String status;
                try {
                    status = ClientSockets.statusLine(socket.getInputStream());
                } catch (IOException e) {
                    status = "failed: " + e;
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
