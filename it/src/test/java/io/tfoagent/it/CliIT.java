package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.FastOpenSysctl;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent jar's command line (DESIGN.md §3): {@code version}, {@code doctor} (exit 0 only where
 * server TFO works, which the namespace's sysctl decides; otherwise 1 and the exact fix), and
 * usage errors (exit 2). Run with each JDK inside namespaces of the test's own; none of it may draw
 * a JVM {@code WARNING} (JEP 472 native access on JDK 24+, agent loading).
 */
class CliIT {
    private static final String VERSION = "0.1.0";
    private static final String USAGE = "usage: java -jar tfo-agent.jar doctor [HOST:PORT] | attach PID [OPTIONS] | status PID | version";
    private static final String ATTACH_USAGE = "usage: java -jar tfo-agent.jar attach PID [OPTIONS]";

    /** tcp_fastopen=3: client and server. */
    private static NetNs fastOpen;

    @BeforeAll
    static void namespaces() {
        NetNs.assumeRoot();
        fastOpen = NetNs.create();
    }

    @AfterAll
    static void removeNamespaces() {
        if (fastOpen != null) {
            fastOpen.close();
        }
    }

    /** Values of the sysctl without the server bit 0x2 (1 is the kernel's default); both lack it. */
    static Stream<Arguments> jdkAndSysctlWithoutServerBit() {
        return Jdks.crossedWith(0, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void versionPrintsVersion(Jdk jdk) {
        Command.Result result = AgentCli.run(jdk, fastOpen, "version");

        assertAll(
                () -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertEquals(List.of("tfo-agent " + VERSION), result.stdout().lines().toList(), result::toString),
                () -> assertEquals("", result.stderr(), result::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void doctorPassesWhereServerFastOpenWorks(Jdk jdk) {
        Command.Result result = AgentCli.run(jdk, fastOpen, "doctor");

        assertAll(
                () -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertTrue(result.stdout().lines().anyMatch(l -> l.equals("verdict: TFO works here")),
                        result::toString),
                () -> assertTrue(result.stdout().lines().noneMatch(l -> l.contains("FAIL")), result::toString),
                () -> assertNoWarning(result));
    }

    @ParameterizedTest(name = "{0} tcp_fastopen={1}")
    @MethodSource("jdkAndSysctlWithoutServerBit")
    void doctorFailsAndNamesTheFixWithoutServerBit(Jdk jdk, int sysctl) {
        try (NetNs ns = NetNs.create()) {
            ns.sysctl(FastOpenSysctl.NAME, sysctl);
            Command.Result result = AgentCli.run(jdk, ns, "doctor");

            assertAll(
                    () -> assertEquals(1, result.exitCode(), result::toString),
                    () -> assertTrue(result.stdout().lines().anyMatch(l -> l.contains("FAIL")
                            && l.endsWith("fix: sysctl -w net.ipv4.tcp_fastopen=3")), result::toString),
                    () -> assertTrue(result.stdout().lines().noneMatch(l -> l.startsWith("verdict: TFO works")),
                            result::toString),
                    () -> assertNoWarning(result));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void unknownOrMissingCommandPrintsUsage(Jdk jdk) {
        Command.Result unknown = AgentCli.run(jdk, fastOpen, "frobnicate");
        Command.Result none = AgentCli.run(jdk, fastOpen);

        assertAll(
                () -> assertEquals(2, unknown.exitCode(), unknown::toString),
                () -> assertTrue(unknown.stderr().lines().anyMatch(l -> l.equals(USAGE)), unknown::toString),
                () -> assertEquals("", unknown.stdout(), unknown::toString),
                () -> assertEquals(2, none.exitCode(), none::toString),
                () -> assertTrue(none.stderr().lines().anyMatch(l -> l.equals(USAGE)), none::toString),
                () -> assertNoWarning(unknown),
                () -> assertNoWarning(none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void attachUsageAndBadPid(Jdk jdk) {
        Command.Result noPid = AgentCli.run(jdk, fastOpen, "attach");
        // Above pid_max (at most 2^22 on Linux): no such process can exist.
        Command.Result badPid = AgentCli.run(jdk, fastOpen, "attach", "99999999");

        assertAll(
                () -> assertEquals(2, noPid.exitCode(), noPid::toString),
                () -> assertTrue(noPid.stderr().lines().anyMatch(l -> l.equals(ATTACH_USAGE)), noPid::toString),
                () -> assertEquals(1, badPid.exitCode(), badPid::toString),
                () -> assertTrue(badPid.stderr().lines().anyMatch(l -> l.startsWith("tfo-agent: cannot attach to 99999999")),
                        badPid::toString),
                () -> assertNoWarning(noPid),
                () -> assertNoWarning(badPid));
    }

    private static void assertNoWarning(Command.Result result) {
        assertEquals(List.of(), Stream.concat(result.stdout().lines(), result.stderr().lines())
                .filter(l -> l.contains("WARNING")).toList(), result::toString);
    }
}
