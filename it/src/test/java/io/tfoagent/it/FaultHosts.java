package io.tfoagent.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the fault classes share about their two hosts: a destination address per case on the
 * server's veth (the kernel keeps cookies and SYN-loss history per destination address, the agent
 * its backoff per destination, so no case inherits another's), and a clean slate per run.
 */
final class FaultHosts {
    static final int HTTP_PORT = 18580;
    static final int HTTPS_PORT = 18543;
    /** "A fault's worth" (issue 8): slower than this is a request that paid for a fault (a SYN RTO is 1 s). */
    static final long SLOW_MILLIS = 500;
    /** Between two probes while waiting for TFO to come back: pacing of a bounded wait, not synchronisation. */
    private static final Duration PROBE_PACING = Duration.ofMillis(100);

    private FaultHosts() {}

    /** Adds {@code addresses} (198.18.0.x) to the server's end of the link on subnet 0. */
    /** Adds {@code addresses} to the server and serves HTTP and HTTPS on them with nginx. */
    static Nginx serve(NetNs server, Path nginxDir, List<String> addresses) {
        addServerAddresses(server, addresses);
        return Nginx.start(server, nginxDir, addresses, HTTP_PORT, HTTPS_PORT);
    }

    /** After the class's last test: nginx stopped (if it started), and no fault rule left behind. */
    static void stop(Nginx nginx, NetNs server) {
        if (nginx != null) {
            nginx.close();
        }
        Nft.clear(server);
    }

    static void addServerAddresses(NetNs server, List<String> addresses) {
        for (String address : addresses) {
            server.run("ip", "addr", "add", address + "/24", "dev", NetNs.peerDevice(0));
        }
    }

    /**
     * Forgets every cookie and SYN-loss record of the client namespace, so that the run with the
     * agent and the run without it start from the same kernel state.
     */
    static void forgetCookies(NetNs client) {
        client.run("ip", "tcp_metrics", "flush", "all");
    }

    /** A fresh random TFO key for every listener of {@code ns} that has none of its own. */
    static void rotateKey(NetNs ns) {
        java.util.Random random = new java.util.Random();
        String key = String.format("%08x-%08x-%08x-%08x", random.nextInt(), random.nextInt(), random.nextInt(),
                random.nextInt());
        ns.run("sysctl", "-qw", "net.ipv4.tcp_fastopen_key=" + key);
    }

    /** Requests until {@code acked} (the client's TCPFastOpenActive) moves, within {@code bound}; the requests it took, or -1. */
    static int requestsUntilTfoIsBack(FaultRun run, String host, LongSupplier acked, Duration bound) {
        List<FaultRun.Outcome> outcomes = requestsUntilMoved(run, host, acked, bound);
        return outcomes == null ? -1 : outcomes.size();
    }

    /**
     * Requests, paced, until {@code signal} moves, within {@code bound}: their outcomes, or null
     * when it never moved.
     */
    static List<FaultRun.Outcome> requestsUntilMoved(FaultRun run, String host, LongSupplier signal, Duration bound) {
        long before = signal.getAsLong();
        Instant deadline = Instant.now().plus(bound);
        List<FaultRun.Outcome> outcomes = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            outcomes.add(run.request(host, HTTP_PORT));
            if (signal.getAsLong() > before) {
                return outcomes;
            }
            try {
                Thread.sleep(PROBE_PACING.toMillis()); // pacing, not synchronisation: the signal ends the loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** The backoff the fault runs give the agent, at its longest ({@code backoff-max-ms}), or 1 s if not given. */
    static Duration maxBackoff() {
        for (String option : FaultRun.agentOptions().split(",")) {
            if (option.startsWith("backoff-max-ms=")) {
                return Duration.ofMillis(Long.parseLong(option.substring("backoff-max-ms=".length())));
            }
        }
        return Duration.ofSeconds(1);
    }
}
