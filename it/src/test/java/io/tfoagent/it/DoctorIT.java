package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.TcpExtCounters;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * doctor end to end (README "doctor"): its TFO exchange on loopback passes where the namespace's
 * sysctl is 3 and names the fix where it is 1; {@code doctor HOST:PORT} from the client host
 * reports the cookie of a TFO server on the other host (its probe fetches one, the next run finds
 * it in the kernel's TCP metrics), and the fix against a server without TFO.
 */
class DoctorIT extends TwoHostsTest {
    private static final AtomicInteger PORTS = new AtomicInteger(18580);

    @BeforeEach
    void noCookieYet() {
        client.run("ip", "tcp_metrics", "flush", "all");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void selfTestCarriesTheSecondConnectionsDataInTheSyn(Jdk jdk) {
        TcpExtCounters before = client.tcpExt();
        Command.Result result = AgentCli.run(jdk, client, "doctor");
        TcpExtCounters after = client.tcpExt();

        assertAll(() -> assertEquals(0, result.exitCode(), result::toString),
                // The kernel's own count, not doctor's report of it: one connection rode, one was taken.
                () -> assertEquals(1, after.get(TcpExtCounters.ACTIVE) - before.get(TcpExtCounters.ACTIVE),
                        result::toString),
                () -> assertEquals(1, after.get(TcpExtCounters.PASSIVE) - before.get(TcpExtCounters.PASSIVE),
                        result::toString),
                () -> assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("  selftest  ok   ")
                        && l.contains("client TCP_INFO syn_data=true, server TCP_INFO syn_data+tfo_child=true;"
                                + " TcpExt TCPFastOpenPassive +1, TCPFastOpenActive +1")), result::toString),
                () -> assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("  blackhole ok   "
                        + "TCPFastOpenBlackhole=0")), result::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void selfTestNamesTheFixWithClientOnlySysctl(Jdk jdk) {
        try (NetNs ns = NetNs.create()) {
            ns.sysctl(FastOpenSysctl.NAME, 1);
            Command.Result result = AgentCli.run(jdk, ns, "doctor");

            assertAll(() -> assertEquals(1, result.exitCode(), result::toString),
                    () -> assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("  selftest  FAIL ")
                            && l.endsWith("fix: sysctl -w net.ipv4.tcp_fastopen=3")), result::toString));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void targetWithTfoServerGetsAndThenHoldsACookie(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        String target = link.peerIpv4() + ":" + port;
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, Agent.withDefaults(), link.peerIpv4(), port)) {
            long passiveBefore = server.tcpExt().get(TcpExtCounters.PASSIVE);
            Command.Result probed = AgentCli.run(jdk, client, "doctor", target);
            long passiveAfterProbe = server.tcpExt().get(TcpExtCounters.PASSIVE);
            Command.Result held = AgentCli.run(jdk, client, "doctor", target);

            assertAll(() -> assertEquals(0, probed.exitCode(), probed::toString),
                    () -> assertTrue(probed.stdout().lines().anyMatch(l -> l.equals("  probe     ok   a probe"
                            + " connection to " + target + " got a TFO cookie")), probed::toString),
                    () -> assertEquals(0, held.exitCode(), held::toString),
                    () -> assertTrue(held.stdout().lines().anyMatch(l -> l.startsWith("  cookie    ok   the kernel"
                            + " holds a TFO cookie for " + link.peerIpv4())), held::toString),
                    () -> assertTrue(cookieLines().size() == 1, "the kernel's own view"),
                    () -> assertEquals(passiveBefore, passiveAfterProbe, "the probe asked for a cookie and sent"
                            + " no data: the server took no TFO connection"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void targetWithoutTfoFailsWithTheFix(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        String target = link.peerIpv4() + ":" + port;
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, Agent.NONE, link.peerIpv4(), port)) {
            Command.Result result = AgentCli.run(jdk, client, "doctor", target);

            assertAll(() -> assertEquals(1, result.exitCode(), result::toString),
                    () -> assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("  probe     FAIL a probe"
                            + " connection to " + target + " got no TFO cookie; fix: on that server, sysctl -w"
                            + " net.ipv4.tcp_fastopen=3")), result::toString),
                    () -> assertEquals(List.of(), cookieLines()));
        }
    }

    /** The client kernel's TCP metrics lines for the server that hold a cookie. */
    private static List<String> cookieLines() {
        return client.run("ip", "tcp_metrics", "show").lines()
                .filter(l -> l.startsWith(link.peerIpv4() + " ") && l.contains(" fo_cookie ")).toList();
    }
}
