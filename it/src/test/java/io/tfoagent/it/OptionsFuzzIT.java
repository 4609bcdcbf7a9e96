package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.ListenOnceAndExit;
import io.tfoagent.shim.FastOpenSysctl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile options through real JVM starts (OptionsFuzzTest covers the parser alone): the
 * application always runs and exits 0, and stderr holds only {@code tfo-agent: } lines, one per
 * problem besides the agent's usual lines, each printable and bounded, never a stack trace. With
 * {@code strict=true} the JVM stops at start with exit status 1 and exactly one line.
 */
class OptionsFuzzIT extends OneHostTest {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LINE = 1_200;
    /** The lines the agent says on any start of ListenOnceAndExit, problem or not. */
    private static final List<String> USUAL = List.of("tfo-agent: 0.1.0 on Java", "tfo-agent: options in effect: ",
            "tfo-agent: TFO on listener", "tfo-agent: server: ", "tfo-agent: not covered: ", "tfo-agent: counters: ");


    /** (name, agent arguments, TFO_AGENT_OPTIONS or null, problem lines expected). */
    static Stream<Arguments> hostile() {
        return Jdks.all().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "fullwidth digit", "qlen=\uff15", null, 1),
                Arguments.of(jdk, "Arabic-Indic digit", "idle-open-ms=\u0665,qlen=16", null, 1),
                Arguments.of(jdk, "out of range", "idle-open-ms=5000,qlen=70000,qlen=99999999999999999999", null, 3),
                Arguments.of(jdk, "empty keys, unknown key, trailing comma", "bogus=1,=,==,qlen=5,", null, 3),
                Arguments.of(jdk, "100 KB value", "allow=" + "a".repeat(100_000), null, 1),
                Arguments.of(jdk, "control bytes in environment", "", "qlen=1\u001b[2J\u0007,strict=maybe\r\n", 2),
                Arguments.of(jdk, "log to /dev/full", "log=file:/dev/full", null, 1),
                Arguments.of(jdk, "log to a directory", "log=file:" + System.getProperty("java.io.tmpdir"), null, 1),
                Arguments.of(jdk, "log under a missing parent", "log=file:/nonexistent/tfo/agent.log", null, 1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void applicationRunsAndEachProblemIsOneLine(Jdk jdk, String name, String arguments, String environment,
            int problems) {
        Ran ran = run(jdk, arguments, environment);

        List<String> lines = ran.stderr().lines().toList();
        assertAll(
                () -> assertEquals(0, ran.exit(), ran::toString),
                () -> assertTrue(ran.stdout().lines().anyMatch("RAN"::equals), ran::toString),
                () -> assertAgentLinesOnly(lines, ran),
                () -> assertEquals(problems, lines.stream().filter(l -> USUAL.stream().noneMatch(l::startsWith)).count(),
                        "problem lines" + ran),
                () -> assertTrue(lines.stream().anyMatch(l -> l.startsWith(USUAL.get(0))), "did the agent run?" + ran));
    }

    static Stream<Arguments> strict() {
        return Jdks.all().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "bad number", "strict=true,qlen=\u0665", "qlen="),
                Arguments.of(jdk, "unknown key and more", "bogus=\u001b,qlen=0,strict=true", "bogus="),
                Arguments.of(jdk, "unusable log", "strict=true,log=file:/nonexistent/tfo/agent.log", "cannot open")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strict")
    void strictStopsTheStartWithOneLine(Jdk jdk, String name, String arguments, String named) {
        Ran ran = run(jdk, arguments, null);

        List<String> lines = ran.stderr().lines().toList();
        assertAll(
                () -> assertEquals(1, ran.exit(), ran::toString),
                () -> assertTrue(ran.stdout().lines().noneMatch("RAN"::equals), ran::toString),
                () -> assertEquals(1, lines.size(), ran::toString),
                () -> assertAgentLinesOnly(lines, ran),
                () -> assertTrue(lines.get(0).contains(named) && lines.get(0).endsWith("(strict=true: stopping)"),
                        ran::toString));
    }

    /** 0x403 has the server bit: the startup line names each bit, and no warning says server TFO does nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void startupLineNamesEverySysctlBit(Jdk jdk) {
        ns.sysctl(FastOpenSysctl.NAME, 0x403);
        Ran ran;
        try {
            ran = run(jdk, "", null);
        } finally {
            ns.sysctl(FastOpenSysctl.NAME, 3);
        }
        assertAll(
                () -> assertTrue(ran.stderr().contains("net.ipv4.tcp_fastopen=0x403 (client, server, server on every"
                        + " listener)"), ran::toString),
                () -> assertTrue(!ran.stderr().contains("will do nothing"), ran::toString));
    }

    private static Ran run(Jdk jdk, String arguments, String environment) {
        List<String> agent = arguments.isEmpty() ? Agent.withDefaults() : Agent.with(arguments);
        Map<String, String> env = environment == null ? Map.of() : Map.of("TFO_AGENT_OPTIONS", environment);
        try (JvmProcess jvm = JvmProcess.start(jdk, ns, agent, SuiteProperties.childClasspath(),
                ListenOnceAndExit.class.getName(), List.of(), env)) {
            int exit = jvm.awaitExit(EXIT_TIMEOUT);
            return new Ran(exit, jvm.stdout(), jvm.stderr());
        }
    }

    private static void assertAgentLinesOnly(List<String> lines, Ran ran) {
        for (String line : lines) {
            assertTrue(line.startsWith("tfo-agent: "), "not an agent line: " + ran);
            assertTrue(line.length() <= MAX_LINE, line.length() + "-char line" + ran);
            assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f), "raw control character" + ran);
            assertTrue(!line.contains("Exception in") && !line.startsWith("\tat "), "a stack trace" + ran);
        }
    }

    private record Ran(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            String shown = stderr.length() > 4_000 ? stderr.substring(0, 4_000) + "..." : stderr;
            return "\n--- exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + shown;
        }
    }
}
