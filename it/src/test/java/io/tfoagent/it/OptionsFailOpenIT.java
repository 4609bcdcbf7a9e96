package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.NioHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration as an operator meets it (DESIGN.md §4.5 fail open): a bad option costs one line and
 * only its own entry, never the application, unless {@code strict=true} asks for a failed start; options from
 * {@code TFO_AGENT_OPTIONS} apply, and agent arguments come after them; {@code log=} moves or
 * silences every agent line without changing what the agent does. TFO is judged by the server
 * namespace's TCPFastOpenPassive and the TCP_INFO of accepted sockets, as in {@link ServerFastOpenIT}.
 */
class OptionsFailOpenIT extends TwoHostsTest {
    private static final int REQUESTS = 4;
    private static final String SYN_DATA_ACCEPTED = "syn_data=true tfo_child=true";
    private static final String ENVIRONMENT_VARIABLE = "TFO_AGENT_OPTIONS";
    private static final Duration LINES_TIMEOUT = Duration.ofSeconds(10);
    /** A JVM that refuses to start is done in well under a second here; this only bounds a hang. */
    private static final Duration STRICT_EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger PORTS = new AtomicInteger(18480);

    @TempDir
    static Path dir;




    /** A bad value costs its own entry and one line; the agent runs with that option at its default. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void badOptionCostsOneLineAndOnlyItself(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Observed observed = serve(jdk, Agent.with("qlen=abc"), Map.of(), port);

        List<String> rejected = observed.stderr().lines().filter(l -> l.contains("rejected")).toList();
        assertAll(
                () -> assertFastOpen(observed),
                () -> assertEquals(1, rejected.size(), "expected exactly one line for the bad entry:\n" + observed.stderr()),
                () -> assertTrue(rejected.get(0).equals("tfo-agent: option 'qlen=abc' rejected: expected a whole number"
                        + " from 1 to 65535 (ASCII digits) (default: the listen backlog)"), rejected.get(0)),
                () -> assertTrue(observed.stderr().lines().anyMatch(l -> l.startsWith("tfo-agent: 0.1.0 on Java")
                        && l.contains("(qlen backlog)")), observed::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void badOptionWithStrictStopsTheJvm(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        try (JvmProcess jvm = JvmProcess.start(jdk, server, Agent.with("strict=true,qlen=abc"),
                SuiteProperties.childClasspath(), NioHttpServer.class.getName(),
                List.of(link.peerIpv4(), String.valueOf(port)), Map.of())) {
            int exit = jvm.awaitExit(STRICT_EXIT_TIMEOUT);
            String seen = "\n--- stdout\n" + jvm.stdout() + "\n--- stderr\n" + jvm.stderr();

            assertAll(
                    () -> assertNotEquals(0, exit, "exit code" + seen),
                    () -> assertTrue(jvm.stdout().lines().noneMatch(l -> l.startsWith("LISTENING")), "it listened" + seen),
                    () -> assertTrue(jvm.stderr().lines().anyMatch(l -> l.contains("tfo-agent: ") && l.contains("qlen")),
                            "no line naming the option" + seen));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void optionsFromEnvironmentApply(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Observed observed = serve(jdk, Agent.withDefaults(), Map.of(ENVIRONMENT_VARIABLE, "server-deny=:" + port), port);

        assertAll(
                () -> assertNoFastOpen(observed),
                () -> assertTrue(observed.stderr().lines().anyMatch(l -> l.startsWith("tfo-agent: 0.1.0 on Java")),
                        "did the agent start? " + observed));
    }

    /** Environment first, then the agent arguments: for the same key, the argument wins. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void agentArgumentsComeAfterEnvironment(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Observed observed = serve(jdk, Agent.with("server=on"), Map.of(ENVIRONMENT_VARIABLE, "server=off"), port);

        assertFastOpen(observed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void logToFileKeepsStderrClean(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Path log = dir.resolve("agent-" + jdk + ".log");
        long passiveBefore = passive();
        String logWhileRunning;
        Observed observed;
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, Agent.with("log=file:" + log), link.peerIpv4(), port)) {
            // The listener line is written before LISTENING is printed.
            logWhileRunning = read(log);
            observed = exercise(peer, port, passiveBefore);
        }
        String logAfterExit = read(log);

        assertAll(
                () -> assertFastOpen(observed),
                () -> assertEquals("", observed.stderr(), "stderr with log=file"),
                () -> assertTrue(observed.stdout().lines().noneMatch(l -> l.contains("tfo-agent")), observed::toString),
                () -> assertTrue(logWhileRunning.lines().anyMatch(l -> l.startsWith("tfo-agent: 0.1.0 on Java")),
                        "log while running:\n" + logWhileRunning),
                () -> assertTrue(logWhileRunning.lines().anyMatch(l -> l.startsWith("tfo-agent: TFO on listener")),
                        "log while running:\n" + logWhileRunning),
                () -> assertTrue(logAfterExit.lines().anyMatch(l -> l.startsWith("tfo-agent: server: 1 listeners with TFO")
                                && l.contains(" accepted on them")),
                        "log after exit:\n" + logAfterExit));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void logOffSilencesAgentButKeepsFastOpen(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Observed observed = serve(jdk, Agent.with("log=off"), Map.of(), port);

        assertAll(
                () -> assertFastOpen(observed),
                () -> assertEquals("", observed.stderr(), "stderr with log=off"),
                () -> assertTrue(observed.stdout().lines().noneMatch(l -> l.contains("tfo-agent")), observed::toString));
    }

    private static Observed serve(Jdk jdk, List<String> agent, Map<String, String> environment, int port) {
        long passiveBefore = passive();
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, agent, link.peerIpv4(), port, environment)) {
            return exercise(peer, port, passiveBefore);
        }
    }

    private static Observed exercise(JvmProcess peer, int port, long passiveBefore) {
        List<String> statuses = IntStream.range(0, REQUESTS)
                .mapToObj(i -> Curl.get(client, link.peerIpv4(), port)).toList();
        List<String> accepts = peer.awaitLines(ServerKind.ACCEPTED, REQUESTS, LINES_TIMEOUT);
        long passive = passive() - passiveBefore;
        String stderr = peer.stop();
        return new Observed(statuses, passive, accepts, peer.stdout(), stderr);
    }

    private static long passive() {
        return server.tcpExt().get(TcpExtCounters.PASSIVE);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no file " + file + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertFastOpen(Observed observed) {
        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), observed.statuses(), observed::toString),
                () -> assertTrue(observed.passive() >= REQUESTS - 1, observed::toString),
                () -> assertTrue(observed.acceptsWith(SYN_DATA_ACCEPTED) >= REQUESTS - 1, observed::toString));
    }

    private static void assertNoFastOpen(Observed observed) {
        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), observed.statuses(), observed::toString),
                () -> assertEquals(0, observed.passive(), observed::toString),
                () -> assertEquals(0, observed.acceptsWith("syn_data=true"), observed::toString));
    }

    private record Observed(List<String> statuses, long passive, List<String> accepts, String stdout, String stderr) {
        long acceptsWith(String fragment) {
            return accepts.stream().filter(line -> line.contains(fragment)).count();
        }
    }
}
