package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.TcpExtCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each {@link Nft} rule does what its name says, shown with {@code curl} (with and without
 * {@code --tcp-fastopen}) against nginx, the rule's own counter, and the client namespace's TcpExt
 * counters, over IPv4 and IPv6, before the fault suite relies on it. Fails if a threshold lets a SYN
 * with data through or stops a bare SYN, or a rule matches nothing.
 */
class NftRulesIT extends TwoHostsTest {
    private static final Duration CURL_TIMEOUT = Duration.ofSeconds(15);
    @TempDir
    static Path nginxDir;
    private static Nginx nginx;

    @BeforeAll
    static void server() {
        nginx = Nginx.start(server, nginxDir, List.of(link.peerIpv4(), link.peerIpv6()), FaultHosts.HTTP_PORT,
                FaultHosts.HTTPS_PORT);
    }

    @AfterAll
    static void stopServer() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @AfterEach
    void clear() {
        Nft.clear(server);
    }

    /** curl's answer: exit code, HTTP status, seconds. */
    private record Curled(int exit, String status, double seconds) {}

    private static Curled curl(String host, boolean fastOpen, int maxSeconds) {
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + FaultHosts.HTTP_PORT + "/";
        List<String> command = new java.util.ArrayList<>(List.of("curl", "--globoff", "--silent", "--max-time",
                String.valueOf(maxSeconds), "--output", "/dev/null", "--write-out", "%{http_code} %{time_total}", url));
        if (fastOpen) {
            command.add(1, "--tcp-fastopen");
        }
        Command.Result r = Command.run(client.exec(command), CURL_TIMEOUT);
        String[] f = r.stdout().trim().split(" ");
        return new Curled(r.exitCode(), f[0], Double.parseDouble(f[1]));
    }

    /** Two TFO GETs: the first fetches the cookie, the second must carry its request in the SYN. */
    private static void cacheCookie(String host) {
        FaultHosts.forgetCookies(client);
        long acked = client.tcpExt().get(TcpExtCounters.ACTIVE);
        assertEquals("200", curl(host, true, 5).status());
        assertEquals("200", curl(host, true, 5).status());
        assertEquals(acked + 1, client.tcpExt().get(TcpExtCounters.ACTIVE), "the second GET was not in the SYN");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"IPv4", "IPv6"})
    void synDataDroppedCostsOneRetransmissionAndBareSynsPass(String family) {
        String host = family.equals("IPv4") ? link.peerIpv4() : link.peerIpv6();
        cacheCookie(host);
        Nft.apply(server, Nft.Fault.SYN_DATA_DROPPED, host, FaultHosts.HTTP_PORT);
        Curled tfo = curl(host, true, 5);
        long afterTfo = Nft.matched(server);
        Curled plain = curl(host, false, 5);
        assertAll(
                () -> assertEquals("200", tfo.status(), "TFO GET through the rule"),
                () -> assertTrue(tfo.seconds() >= 0.9, "the SYN with data was not dropped: " + tfo),
                () -> assertEquals(1, afterTfo, "SYNs with data the rule dropped"),
                () -> assertEquals("200", plain.status()),
                () -> assertTrue(plain.seconds() < 0.5, "a bare SYN was dropped: " + plain),
                () -> assertEquals(1, Nft.matched(server), "the rule matched a bare SYN"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"IPv4", "IPv6"})
    void synDataResetFailsTheTfoConnectionOnlyAndBareSynsPass(String family) {
        String host = family.equals("IPv4") ? link.peerIpv4() : link.peerIpv6();
        cacheCookie(host);
        Nft.apply(server, Nft.Fault.SYN_DATA_RESET, host, FaultHosts.HTTP_PORT);
        Curled tfo = curl(host, true, 5);
        Curled plain = curl(host, false, 5);
        assertAll(
                () -> assertTrue(tfo.exit() != 0 && tfo.seconds() < 0.5, "the SYN with data was not reset: " + tfo),
                () -> assertEquals("200", plain.status(), "a bare SYN was reset: " + plain),
                () -> assertEquals(1, Nft.matched(server), "SYNs the rule reset"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"REFUSED", "DEAD", "PURE_ACKS_DROPPED"})
    void destinationRulesDoWhatTheySay(String name) {
        String host = link.peerIpv4();
        cacheCookie(host);
        Nft.apply(server, Nft.Fault.valueOf(name), host, FaultHosts.HTTP_PORT);
        Curled plain = curl(host, false, 2);
        Curled tfo = curl(host, true, 2);
        String seen = "plain " + plain + ", TFO " + tfo + ", rule matched " + Nft.matched(server);
        switch (name) {
            // curl exit 7: could not connect (refused); 28: timed out.
            case "REFUSED" -> assertAll(() -> assertEquals(7, plain.exit(), seen),
                    () -> assertTrue(tfo.exit() != 0 && tfo.seconds() < 0.5, seen));
            case "DEAD" -> assertAll(() -> assertEquals(28, plain.exit(), seen), () -> assertEquals(28, tfo.exit(), seen));
            default -> assertAll(() -> assertEquals("200", plain.status(), seen),
                    () -> assertEquals("200", tfo.status(), seen));
        }
        assertTrue(Nft.matched(server) >= 2, "the rule matched fewer packets than the two curls sent: " + seen);
    }
}
