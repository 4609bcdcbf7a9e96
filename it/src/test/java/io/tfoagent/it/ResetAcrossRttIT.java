package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.FaultRun.Outcome;
import io.tfoagent.it.rtt.DelayLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resetting middlebox of {@link MiddleboxFaultIT}, across a delay line of {@value #RTT_MILLIS}
 * ms RTT, for the event-driven clients. Without a round trip the reset is back before such a
 * client asks to read, so its read fails at once; here the read is already pending, waiting on
 * its selector, epoll or completion port, when the reset comes: the failure is met by the event
 * loop (Netty's, whose wait for the new handshake is on Netty's socket; the asynchronous channel
 * group's thread, inside the JDK's finishRead). The agent must reconnect there, and the
 * application must see every request answered, as without the agent.
 * Each kind runs twice, without and with the agent: {@value #WARM} requests for the cookie, then
 * the middlebox (nftables in the server namespace, its RST crossing the line back), then
 * {@value #BEHIND} requests.
 */
class ResetAcrossRttIT extends TwoHostsTest {
    private static final long RTT_MILLIS = 20;
    private static final int WARM = 2;
    private static final int BEHIND = 3;
    /** The event-driven clients: a selector, HttpClient's and Jetty's, Netty NIO and epoll, NIO.2 both ways. */
    private static final List<ClientKind> KINDS = List.of(ClientKind.SELECTOR_CHANNEL, ClientKind.JDK_HTTP_CLIENT,
            ClientKind.JETTY, ClientKind.NETTY, ClientKind.NETTY_EPOLL, ClientKind.ASYNC_FUTURES,
            ClientKind.ASYNC_HANDLERS);
    private static final Pattern RECONNECTED = Pattern.compile("SYN data reset, reconnected (\\d+)");

    @TempDir
    static Path nginxDir;
    private static DelayLine line;
    private static Nginx nginx;
    private static String host;

    @BeforeAll
    static void delayLineAndServer() {
        line = DelayLine.start(client.toString(), server.toString(), Duration.ofMillis(RTT_MILLIS));
        host = line.b().ipv4();
        nginx = Nginx.start(server, nginxDir, List.of(host), FaultHosts.HTTP_PORT, FaultHosts.HTTPS_PORT);
    }

    @AfterAll
    static void stop() {
        try (DelayLine l = line; Nginx n = nginx) {
            Nft.clear(server);
        }
    }

    static Stream<Arguments> jdkAndKind() {
        return Jdks.crossedWith(ClientKind.only(KINDS).toArray());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndKind")
    void aPendingReadThatMeetsTheResetIsSavedByTheEventLoop(Jdk jdk, ClientKind kind) {
        Run without = run(jdk, kind, Agent.NONE);
        Run with = run(jdk, kind, FaultRun.agent());
        String report = kind + " on " + jdk + "\n" + FaultRun.sideBySide("behind the middlebox", with.behind,
                without.behind) + "SYNs with data into the rule: " + with.intoRule + "\nagent: " + with.agentLine
                + "\n--- stderr with the agent (tail)\n" + with.stderrTail;
        System.out.println("ResetAcrossRttIT " + report);
        Matcher reconnected = RECONNECTED.matcher(with.agentLine);

        assertAll(
                () -> assertEquals(BEHIND, FaultRun.successes(without.behind), "the control\n" + report),
                () -> assertEquals(List.of(), FaultRun.differing(with.behind, without.behind),
                        "requests that ended otherwise than without the agent\n" + report),
                () -> assertTrue(with.intoRule >= 1, "no SYN with data met the middlebox\n" + report),
                () -> assertTrue(reconnected.find() && Long.parseLong(reconnected.group(1)) >= 1,
                        "no connection was reconnected: the fault did not strike where it should\n" + report));
    }

    /** What one run saw behind the middlebox. */
    private record Run(List<Outcome> behind, long intoRule, String agentLine, String stderrTail) {}

    private static Run run(Jdk jdk, ClientKind kind, List<String> agent) {
        FaultHosts.forgetCookies(client);
        Nft.clear(server);
        try (FaultRun run = FaultRun.start(jdk, kind, client, agent)) {
            run.requests(host, FaultHosts.HTTP_PORT, WARM);
            Nft.apply(server, Nft.Fault.SYN_DATA_RESET, host, FaultHosts.HTTP_PORT);
            List<Outcome> behind = new ArrayList<>(run.requests(host, FaultHosts.HTTP_PORT, BEHIND));
            long into = Nft.matched(server);
            Nft.clear(server);
            String agentLine = run.finish();
            return new Run(behind, into, agentLine, run.stderrTail());
        } finally {
            Nft.clear(server);
        }
    }
}
