package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.faults.ConnectTimeoutClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connect timeouts against a dead destination whose cookie is cached (DESIGN.md §4 hazards 3, 15;
 * issue 8): HttpURLConnection with {@code setConnectTimeout(2000)}, {@code Socket.connect(addr, 1000)}
 * followed by a first write larger than one SYN holds (a 4 KiB GET), and the JDK's HttpClient with
 * {@code connectTimeout(1500 ms)} ({@link ConnectTimeoutClient}). With and without the agent the
 * application must get its timeout within timeout + {@value #SLACK_MILLIS} ms, and the same exception
 * class. Fails on today's agent (measured): all three are still in the call 5 s past their timeout
 * (the client's watchdog reports HUNG): the connect "succeeded" at once (cookie cached) and what
 * follows waits for a SYN-ACK with no bound but the kernel's SYN retries (measured before the JDK
 * HttpClient got its 4 s request timeout; with it, it is expected to get an HttpTimeoutException
 * after 4 s instead of its HttpConnectTimeoutException after 1.5 s: not yet run).
 */
class ConnectTimeoutIT extends TwoHostsTest {
    private static final String DEAD = "198.18.0.31";
    private static final String LIVE = "198.18.0.32";
    private static final long SLACK_MILLIS = 200;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path nginxDir;
    private static Nginx nginx;

    @BeforeAll
    static void addressAndServer() {
        FaultHosts.addServerAddresses(server, List.of(DEAD, LIVE));
        nginx = Nginx.start(server, nginxDir, List.of(DEAD, LIVE), FaultHosts.HTTP_PORT, FaultHosts.HTTPS_PORT);
    }

    @AfterAll
    static void stopServer() {
        if (nginx != null) {
            nginx.close();
        }
        Nft.clear(server);
    }

    static Stream<Arguments> jdkAndApi() {
        return Jdks.crossedWith("url", "socket", "httpclient");
    }

    /** What one run printed: {@code RESULT <ms> <timeout> <class or OK or HUNG> <message>}. */
    private record Result(long millis, long timeout, String outcome, String line, String warm, String stderr) {
        static Result of(JvmProcess jvm) {
            String line = jvm.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("RESULT -1 -1 NONE");
            String[] f = line.split(" ", 5);
            String warm = jvm.stdout().lines().filter(l -> l.startsWith("WARM ")).findFirst().orElse("no WARM line");
            return new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], line, warm, jvm.stderr());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndApi")
    void connectTimeoutToADeadDestinationIsTheApplicationsOwn(Jdk jdk, String api) {
        Result without = run(jdk, api, Agent.NONE);
        Result with = run(jdk, api, FaultRun.agent());
        String seen = "with the agent: " + with.line() + "\nwithout: " + without.line() + "\n--- stderr with the agent\n"
                + with.stderr();
        System.out.println("ConnectTimeoutIT " + jdk + " " + api + "\n  with:    " + with.line() + "\n  without: "
                + without.line());
        assertAll(
                () -> assertEquals("WARM OK 200", with.warm(), "the call to the live host first\n" + seen),
                () -> assertTrue(without.outcome().contains("Timeout"), "without the agent, no timeout: " + seen),
                () -> assertEquals(without.outcome(), with.outcome(), "not the exception of the run without the agent\n"
                        + seen),
                () -> assertTrue(with.millis() >= 0 && with.millis() <= with.timeout() + SLACK_MILLIS, "with the agent"
                        + " the timeout came after " + with.millis() + " ms (allowed " + (with.timeout() + SLACK_MILLIS)
                        + ")\n" + seen),
                () -> assertTrue(without.millis() <= without.timeout() + SLACK_MILLIS, "without the agent after "
                        + without.millis() + " ms\n" + seen));
    }

    private static Result run(Jdk jdk, String api, List<String> agent) {
        DeadDestination.cacheCookieThenDie(client, server, DEAD, FaultHosts.HTTP_PORT);
        try (JvmProcess jvm = JvmProcess.start(jdk, client, agent, ConnectTimeoutClient.class,
                List.of(api, DEAD, LIVE, String.valueOf(FaultHosts.HTTP_PORT)))) {
            jvm.awaitExit(CLIENT_TIMEOUT);
            return Result.of(jvm);
        } finally {
            Nft.clear(server);
        }
    }
}
