package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.TcpExtCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server path (DESIGN.md §5): with the agent, every kind of JDK listener accepts data in the
 * SYN from curl; without it, or where configuration or the sysctl says no, none does. The oracle
 * is the server namespace's TCPFastOpenPassive counter and the TCP_INFO of accepted sockets.
 */
class ServerFastOpenIT extends TwoHostsTest {
    /** The first request from a fresh client namespace only fetches the cookie; the others use it. */
    private static final int REQUESTS = 5;
    private static final String SYN_DATA_ACCEPTED = "syn_data=true tfo_child=true";
    private static final Duration ACCEPT_LINES_TIMEOUT = Duration.ofSeconds(10);
    /** A fresh port per server: no test sees connections left over from another. */
    private static final AtomicInteger PORTS = new AtomicInteger(18080);




    /** Agent options that take TFO away from the listener; its port goes in at %d. */
    static Stream<Arguments> jdkAndRefusingOptions() {
        return Jdks.crossedWith("server=off", "server-deny=:%d");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#onEachJdk")
    void agentMakesListenerAcceptSynData(Jdk jdk, ServerKind kind) {
        Observed observed = serve(jdk, kind, Agent.withDefaults(), link.peerIpv4(), nextPort());

        assertFastOpen(observed, kind);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#onEachJdk")
    void withoutAgentNoSynDataIsAccepted(Jdk jdk, ServerKind kind) {
        Observed observed = serve(jdk, kind, Agent.NONE, link.peerIpv4(), nextPort());

        assertNoFastOpen(observed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void agentMakesIpv6ListenerAcceptSynData(Jdk jdk) {
        Observed observed = serve(jdk, ServerKind.NIO, Agent.withDefaults(), link.peerIpv6(), nextPort());

        assertFastOpen(observed, ServerKind.NIO);
    }

    /** The sysctl's server bit is the one thing the agent cannot set: it must say so, with the fix. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void agentNamesSysctlWhenServerBitIsMissing(Jdk jdk) {
        server.sysctl(FastOpenSysctl.NAME, 1);
        Observed observed;
        try {
            observed = serve(jdk, ServerKind.NIO, Agent.withDefaults(), link.peerIpv4(), nextPort());
        } finally {
            server.sysctl(FastOpenSysctl.NAME, 3);
        }

        assertNoFastOpen(observed);
        assertTrue(observed.agentLog().lines().anyMatch(line -> line.startsWith("tfo-agent")
                        && line.contains("sysctl -w net.ipv4.tcp_fastopen=3")),
                observed::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndRefusingOptions")
    void refusingOptionsLeaveListenerWithoutFastOpen(Jdk jdk, String optionsTemplate) {
        int port = nextPort();
        Observed observed = serve(jdk, ServerKind.NIO, Agent.with(optionsTemplate.formatted(port)),
                link.peerIpv4(), port);

        assertNoFastOpen(observed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void allowedListenerGetsFastOpen(Jdk jdk) {
        int port = nextPort();
        Observed observed = serve(jdk, ServerKind.NIO, Agent.with("server-allow=:" + port), link.peerIpv4(), port);

        assertFastOpen(observed, ServerKind.NIO);
    }

    /** Fail open: where JNA cannot load its native library, listeners work as without the agent, and one line says why. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void withoutNativeSupportServerRunsAsWithoutAgent(Jdk jdk) {
        List<String> jvm = new ArrayList<>(List.of("-Djna.nounpack=true", "-Djna.boot.library.path=/nonexistent"));
        jvm.addAll(Agent.withDefaults());
        // The JDK HTTP server peer: the others read TCP_INFO through JNA themselves.
        Observed observed = serve(jdk, ServerKind.JDK_HTTP, jvm, link.peerIpv4(), nextPort());

        assertNoFastOpen(observed);
        assertEquals(1, observed.agentLog().lines().filter(line -> line.startsWith("tfo-agent")
                && line.contains("cannot call libc through JNA")).count(), observed::toString);
    }

    /** Starts the server, sends {@link #REQUESTS} GETs with curl, and collects what the kernel and the server saw. */
    private static Observed serve(Jdk jdk, ServerKind kind, List<String> agent, String host, int port) {
        long passiveBefore = server.tcpExt().get(TcpExtCounters.PASSIVE);
        try (JvmProcess peer = kind.start(jdk, server, agent, host, port)) {
            List<String> statuses = IntStream.range(0, REQUESTS).mapToObj(i -> Curl.get(client, host, port)).toList();
            // Each line is printed before the reply, so once curl has its answers, all are on their way.
            List<String> accepts = kind.reportsAccepts()
                    ? peer.awaitLines(ServerKind.ACCEPTED, REQUESTS, ACCEPT_LINES_TIMEOUT)
                    : List.of();
            long passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - passiveBefore;
            return new Observed(statuses, passive, accepts, peer.stop());
        }
    }

    private static void assertAllOk(Observed observed) {
        assertEquals(Collections.nCopies(REQUESTS, "200"), observed.statuses(), observed::toString);
    }

    private static void assertFastOpen(Observed observed, ServerKind kind) {
        assertAll(
                () -> assertAllOk(observed),
                () -> assertTrue(observed.passive() >= REQUESTS - 1, observed::toString),
                () -> assertTrue(!kind.reportsAccepts() || observed.acceptsWith(SYN_DATA_ACCEPTED) >= REQUESTS - 1,
                        observed::toString));
    }

    private static void assertNoFastOpen(Observed observed) {
        assertAll(
                () -> assertAllOk(observed),
                () -> assertEquals(0, observed.passive(), observed::toString),
                () -> assertEquals(0, observed.acceptsWith("syn_data=true"), observed::toString));
    }

    private static int nextPort() {
        return PORTS.getAndIncrement();
    }

    /** What one server run showed: curl's statuses, the kernel's passive TFO count, the server's accept lines, its stderr. */
    private record Observed(List<String> statuses, long passive, List<String> accepts, String agentLog) {
        long acceptsWith(String fragment) {
            return accepts.stream().filter(line -> line.contains(fragment)).count();
        }
    }
}
