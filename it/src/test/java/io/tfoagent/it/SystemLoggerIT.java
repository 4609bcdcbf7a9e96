package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.NioHttpServer;
import io.tfoagent.it.peers.RecordingLoggerFinder;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code log=system-logger}: the agent's lines reach the application's logging and not stderr.
 * Two applications' logging: a {@code System.LoggerFinder} of the application's own (found by
 * ServiceLoader on its class path, as Log4j's and SLF4J's JDK bridges are), and the JDK's default,
 * java.util.logging, with a handler format that marks its lines. The agent keeps working
 * meanwhile (TCPFastOpenPassive under curl).
 */
class SystemLoggerIT extends OneHostTest {
    private static final String HOST = "127.0.0.1";
    private static final int REQUESTS = 3;
    private static final String JUL_FORMAT = "JUL|%3$s|%4$s|%5$s%n";

    @TempDir
    static Path services;

    /** The child class path plus a directory holding only the service file that names the recording finder. */
    private static String withRecordingFinder() {
        try {
            Path file = services.resolve("META-INF/services/java.lang.System$LoggerFinder");
            Files.createDirectories(file.getParent());
            Files.writeString(file, RecordingLoggerFinder.class.getName() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SuiteProperties.childClasspath() + ":" + services;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void theApplicationsLoggerFinderGetsEveryLineOnTheAgentsThread(Jdk jdk) {
        Observed o = serve(jdk, List.of(), withRecordingFinder(), 18680);
        List<String> agentLines = o.stdoutLines(RecordingLoggerFinder.LOGGED + "io.tfoagent INFO "
                + "tfo-agent-log: ");
        String startLine = RecordingLoggerFinder.LOGGED + "io.tfoagent INFO tfo-agent-log: 0.1.0 on Java";

        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), o.statuses(), o::toString),
                () -> assertTrue(o.passive() >= REQUESTS - 1, o::toString),
                () -> assertEquals(List.of(RecordingLoggerFinder.LOOKUP + "io.tfoagent tfo-agent-log"),
                        o.stdoutLines(RecordingLoggerFinder.LOOKUP + "io.tfoagent"),
                        "looked up once, on the agent's thread, never on premain's: " + o),
                () -> assertTrue(agentLines.size() >= 4, o::toString),
                () -> assertTrue(agentLines.get(0).startsWith(startLine), o::toString),
                () -> assertTrue(agentLines.get(1).endsWith("options in effect: log='system-logger' (the rest at their"
                        + " defaults)"), o::toString),
                () -> assertTrue(agentLines.stream().anyMatch(l -> l.contains(": TFO on listener " + HOST + ":18680")),
                        o::toString),
                () -> assertTrue(agentLines.stream().anyMatch(l -> l.contains(": server: 1 listeners with TFO")),
                        "the exit's server line: " + o),
                () -> assertTrue(agentLines.get(agentLines.size() - 1).contains(": counters: server "),
                        "the exit's counters line, last: " + o),
                () -> assertEquals(List.of(), o.stderr().lines().toList(), "nothing on stderr: " + o));
    }

    /**
     * The JDK's default finder: java.util.logging's handler gets the start lines. (Its exit line may
     * not come: JUL resets its handlers in a shutdown hook of its own, which runs beside the agent's.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void javaUtilLoggingGetsTheLines(Jdk jdk) {
        Observed o = serve(jdk, List.of("-Djava.util.logging.SimpleFormatter.format=" + JUL_FORMAT),
                SuiteProperties.childClasspath(), 18681);
        List<String> lines = o.stderr().lines().toList();

        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), o.statuses(), o::toString),
                () -> assertTrue(o.passive() >= REQUESTS - 1, o::toString),
                () -> assertTrue(lines.size() >= 3, o::toString),
                () -> assertTrue(lines.get(0).startsWith("JUL|io.tfoagent|INFO|0.1.0 on Java"), o::toString),
                () -> assertEquals("JUL|io.tfoagent|INFO|options in effect: log='system-logger' (the rest at their"
                        + " defaults)", lines.get(1), o::toString),
                () -> assertTrue(lines.contains("JUL|io.tfoagent|INFO|TFO on listener " + HOST + ":18681 (qlen 50)"),
                        o::toString),
                () -> assertEquals(List.of(), lines.stream().filter(l -> !l.startsWith("JUL|io.tfoagent|INFO|"))
                        .toList(), "only JUL's lines on stderr: " + o));
    }

    private static Observed serve(Jdk jdk, List<String> jvmOptions, String classpath, int port) {
        List<String> jvm = new ArrayList<>(Agent.with("log=system-logger"));
        jvm.addAll(jvmOptions);
        jvm.addAll(ServerKind.acceptReportOptions());
        long before = ns.tcpExt().get(TcpExtCounters.PASSIVE);
        try (JvmProcess server = JvmProcess.start(jdk, ns, jvm, classpath, NioHttpServer.class.getName(),
                List.of(HOST, String.valueOf(port)), Map.of())) {
            server.awaitLine("LISTENING ", Duration.ofSeconds(30));
            List<String> statuses = IntStream.range(0, REQUESTS).mapToObj(i -> Curl.get(ns, HOST, port)).toList();
            long passive = ns.tcpExt().get(TcpExtCounters.PASSIVE) - before;
            String stderr = server.stop();
            return new Observed(statuses, passive, server.stdout(), stderr);
        }
    }

    private record Observed(List<String> statuses, long passive, String stdout, String stderr) {
        List<String> stdoutLines(String prefix) {
            return stdout.lines().filter(l -> l.startsWith(prefix)).toList();
        }

        @Override
        public String toString() {
            return "passive +" + passive + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
