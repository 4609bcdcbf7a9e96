package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.MethodReportingHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dry-run=true} on both sides: the agent counts what it would have done and changes nothing
 * on the wire. First a real run between the same two hosts (agent on both, not dry) shows that TFO
 * works there and leaves the server's cookie in the client's kernel; then, with dry-run on both
 * sides, the kernels' TcpExt counters show no TFO at all (no SYN data sent or accepted, no cookie
 * asked for), every accepted socket's TCP_INFO (read by the server, beside the method it received) says its SYN carried no data, and the agents'
 * counters say the GETs would have ridden in the SYN and the POSTs not (not replay-safe).
 */
class DryRunIT extends TwoHostsTest {
    /** GET and POST in turn: half would ride in the SYN, half not. */
    private static final int REQUESTS = 6;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LINES_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger PORTS = new AtomicInteger(18480);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void dryRunCountsWhatWouldHaveRiddenInTheSynAndSendsNone(Jdk jdk) {
        Observed real = exchange(jdk, "", PORTS.getAndIncrement());
        Observed dry = exchange(jdk, ",dry-run=true", PORTS.getAndIncrement());

        assertAll(
                () -> assertEquals(List.of(200, 200, 200, 200, 200, 200), real.client().statuses(), real::toString),
                () -> assertTrue(real.active() >= REQUESTS / 2 - 1, "TFO must work here without dry-run: " + real),
                () -> assertEquals(List.of(200, 200, 200, 200, 200, 200), dry.client().statuses(), dry::toString),
                () -> assertEquals(0, dry.active(), dry::toString),
                () -> assertEquals(0, dry.activeFail(), dry::toString),
                () -> assertEquals(0, dry.passive(), dry::toString),
                () -> assertEquals(0, dry.cookieRequired(), dry::toString),
                () -> assertEquals(0, dry.accepts().stream().filter(a -> a.contains("syn_data=true")).count(),
                        dry::toString),
                () -> assertEquals(REQUESTS / 2, dry.accepts().stream().filter(a -> a.contains("method=GET ")).count(),
                        dry::toString),
                () -> assertEquals(REQUESTS / 2, dry.accepts().stream().filter(a -> a.contains("method=POST ")).count(),
                        dry::toString),
                () -> assertTrue(dry.clientAgent().startsWith("tfo-agent: client: " + REQUESTS
                        + " connects to allowed destinations"), dry::toString),
                () -> assertTrue(dry.clientAgent().contains("first write in the SYN 0 (acked 0; 0 not acked),"
                        + " not replay-safe " + REQUESTS / 2 + ","), dry::toString),
                () -> assertTrue(dry.clientAgent().endsWith("; dry-run (nothing changed on the wire): would have"
                        + " ridden in the SYN " + REQUESTS / 2), dry::toString),
                // Counted as every outcome is: the counters line gives the would-haves as its reason.
                () -> assertTrue(dry.clientCountersLine().startsWith("tfo-agent: counters: client 0 of " + REQUESTS
                        + " connections saved a round trip (0%), missed: " + REQUESTS / 2 + " not replay-safe, "
                        + REQUESTS / 2 + " would have ridden in the SYN;"), dry::toString),
                () -> assertTrue(dry.serverAgent().startsWith("tfo-agent: server: dry-run (nothing changed on the"
                        + " wire): 1 listeners would have TFO ("), dry::toString),
                () -> assertTrue(dry.serverAgent().endsWith(REQUESTS + " accepted on them, 0 via TFO, 0 with data in"
                        + " the SYN"), dry::toString),
                () -> assertTrue(dry.serverLog().contains("tfo-agent: dry-run: listener " + link.peerIpv4() + ":"),
                        dry::toString));
    }

    /** A server JVM and a client JVM with the agent ({@code extra} added to both sides' options), GET and POST in turn. */
    private static Observed exchange(Jdk jdk, String extra, int port) {
        String host = link.peerIpv4();
        TcpExtCounters clientBefore = client.tcpExt();
        TcpExtCounters serverBefore = server.tcpExt();
        List<String> serverJvm = new ArrayList<>(Agent.with("log=stderr" + extra));
        serverJvm.addAll(ServerKind.acceptReportOptions());
        try (JvmProcess peer = JvmProcess.start(jdk, server, serverJvm, MethodReportingHttpServer.class,
                List.of(host, String.valueOf(port)))) {
            peer.awaitLine("LISTENING ", LINES_TIMEOUT);
            ClientKind.Finished finished = ClientKind.SOCKET.run(jdk, client,
                    ClientPeerJvm.withAccess(Agent.with(ClientPeerJvm.CLIENT_OPTIONS + extra)), host, port, REQUESTS,
                    "GET,POST", null, CLIENT_TIMEOUT);
            // Each line is printed before the reply, so once the client has its answers, all are out.
            List<String> accepts = finished.exitCode() == 0
                    ? peer.awaitLines(ServerKind.ACCEPTED, REQUESTS, LINES_TIMEOUT) : List.of();
            TcpExtCounters clientAfter = client.tcpExt();
            TcpExtCounters serverAfter = server.tcpExt();
            return new Observed(finished, accepts, peer.stop(),
                    delta(clientBefore, clientAfter, TcpExtCounters.ACTIVE),
                    delta(clientBefore, clientAfter, TcpExtCounters.ACTIVE_FAIL),
                    delta(serverBefore, serverAfter, TcpExtCounters.PASSIVE),
                    delta(serverBefore, serverAfter, TcpExtCounters.COOKIE_REQUIRED));
        }
    }

    private static long delta(TcpExtCounters before, TcpExtCounters after, String name) {
        return after.get(name) - before.get(name);
    }

    private record Observed(ClientKind.Finished client, List<String> accepts, String serverLog, long active,
            long activeFail, long passive, long cookieRequired) {
        String clientAgent() {
            return client.agentSummary();
        }

        /** The last counters line of the client JVM: the one at exit. */
        String clientCountersLine() {
            return client.stderr().lines().filter(l -> l.startsWith("tfo-agent: counters: ")).reduce((a, b) -> b)
                    .orElse("(none)");
        }

        String serverAgent() {
            return serverLog.lines().filter(l -> l.startsWith("tfo-agent: server")).findFirst().orElse("(none)");
        }

        @Override
        public String toString() {
            return "kernel: client TCPFastOpenActive +" + active + ", ActiveFail +" + activeFail
                    + "; server TCPFastOpenPassive +" + passive + ", CookieReqd +" + cookieRequired
                    + "\naccepted:\n" + String.join("\n", accepts) + "\nclient stdout:\n" + client.stdout()
                    + "\nclient stderr:\n" + client.stderr() + "\nserver stderr:\n" + serverLog;
        }
    }
}
