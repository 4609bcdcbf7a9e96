package io.tfoagent.it.semantics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A connect-then-close health check (a load balancer's TCP check, a pool's validation, {@code nc
 * -z}): "up" when {@code Socket.connect(addr, timeout)} returns, "down" when it throws. With a
 * cookie cached for a host that has since died, a deferred connect returns without asking the
 * host (DESIGN.md §4 hazard 8); the agent then stops deferring to that destination, so the truth
 * must come out at the latest on the second probe.
 *
 * <p>Arguments: {@code <host> <port> <connectTimeoutMillis> <probes>}. One {@code RESULT probe-<i>}
 * line each; exits 0 when the second probe saw the host down.
 */
public final class HealthProbeClient {
    private HealthProbeClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofMinutes(1));
        int connectTimeout = Integer.parseInt(args[2]);
        int probes = Integer.parseInt(args[3]);
        boolean secondDown = false;
        for (int i = 1; i <= probes; i++) {
            long start = System.nanoTime();
            boolean deferred = false;
            IOException failure = null;
            try (Socket socket = ClientSockets.newSocket()) {
                socket.connect(target, connectTimeout);
                deferred = ClientSockets.deferred(socket);
            } catch (IOException e) {
                failure = e;
            }
            if (i == 2) {
                secondDown = failure != null;
            }
            new ResultLine("probe-" + i).with("up", failure == null).with("deferred", deferred)
                    .with("ms", ClientSockets.millisSince(start)).thrown(failure).print();
        }
        System.exit(secondDown ? 0 : 1);
    }
}
