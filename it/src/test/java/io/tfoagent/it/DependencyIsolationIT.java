package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.OwnLibrariesHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md §3: the agent's ByteBuddy and JNA can neither clash with nor be shadowed by the
 * application's. The application here ships other versions of both, uses them, and must see its
 * own; its listener must still get TFO, whether the agent started first ({@code -javaagent}) or came
 * after the application had loaded its JNA (attach). Oracles as in {@link ServerFastOpenIT}: the
 * server namespace's TCPFastOpenPassive and the TCP_INFO of accepted sockets, read here through
 * the application's own JNA.
 */
class DependencyIsolationIT extends TwoHostsTest {
    private static final int REQUESTS = 4;
    private static final String SYN_DATA_ACCEPTED = "syn_data=true tfo_child=true";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LINES_TIMEOUT = Duration.ofSeconds(10);
    /** The app reads TCP_INFO of accepted sockets (fd inside sun.nio.ch) and calls libc through its own JNA. */
    private static final List<String> APP_OPTIONS = List.of(
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            // The app's own JNA would draw JEP 472's warning on JDK 24+: that warning would be the app's, not ours.
            "--enable-native-access=ALL-UNNAMED");
    private static final AtomicInteger PORTS = new AtomicInteger(18180);




    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void appKeepsItsOwnLibrariesAndListenerGetsFastOpen(Jdk jdk) {
        assertAppVersionsDifferFromAgents();
        int port = PORTS.getAndIncrement();
        long passiveBefore = passive();
        try (JvmProcess app = startApp(jdk, Agent.withDefaults(), port)) {
            Observed observed = exercise(app, port, passiveBefore);

            assertAll(
                    () -> assertAppUsedItsOwnLibraries(app),
                    () -> assertFastOpen(observed),
                    () -> assertTrue(observed.stderr().lines().anyMatch(l -> l.startsWith("tfo-agent: TFO on listener")),
                            observed::toString),
                    () -> assertOnlyAgentLines(observed.stderr()));
        }
    }

    /** The other order: the app has loaded its JNA (and made its class) before the agent's JNA comes in. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void agentAttachedAfterAppLoadedItsLibrariesStillWorks(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        List<String> options = List.of("-XX:+EnableDynamicAgentLoading");
        try (JvmProcess app = startApp(jdk, options, port)) {
            app.awaitLine("JNA getpid=", LINES_TIMEOUT);
            Command.Result attach = AgentCli.run(jdk, server, "attach", String.valueOf(app.pid()));
            assertEquals(0, attach.exitCode(), attach::toString);
            long passiveBefore = passive();
            Observed observed = exercise(app, port, passiveBefore);

            assertAll(
                    () -> assertAppUsedItsOwnLibraries(app),
                    () -> assertFastOpen(observed),
                    () -> assertOnlyAgentLines(observed.stderr()));
        }
    }

    private static JvmProcess startApp(Jdk jdk, List<String> agent, int port) {
        List<String> jvmOptions = new ArrayList<>(agent);
        jvmOptions.addAll(APP_OPTIONS);
        JvmProcess app = JvmProcess.start(jdk, server, jvmOptions, appClasspath(),
                OwnLibrariesHttpServer.class.getName(), List.of(link.peerIpv4(), String.valueOf(port)), Map.of());
        try {
            app.awaitLine("LISTENING ", START_TIMEOUT);
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
    }

    /** Only the peers' classes and the app's own jars: neither the shim nor any JNA of the build. */
    private static String appClasspath() {
        return String.join(File.pathSeparator, SuiteProperties.testClasses().toString(),
                appJar("byte-buddy", "it.app.bytebuddy.version").toString(),
                appJar("jna", "it.app.jna.version").toString());
    }

    private static Path appJar(String artifactId, String versionProperty) {
        return SuiteProperties.appLibs().resolve(artifactId + "-" + SuiteProperties.version(versionProperty) + ".jar");
    }

    private static Observed exercise(JvmProcess app, int port, long passiveBefore) {
        List<String> statuses = IntStream.range(0, REQUESTS)
                .mapToObj(i -> Curl.get(client, link.peerIpv4(), port)).toList();
        List<String> accepts = app.awaitLines(ServerKind.ACCEPTED, REQUESTS, LINES_TIMEOUT);
        long passive = passive() - passiveBefore;
        return new Observed(statuses, passive, accepts, app.stop());
    }

    private static long passive() {
        return server.tcpExt().get(TcpExtCounters.PASSIVE);
    }

    private static void assertAppVersionsDifferFromAgents() {
        // The test proves nothing if someone aligns the versions.
        assertAll(
                () -> assertNotEquals(SuiteProperties.version("it.agent.bytebuddy.version"),
                        SuiteProperties.version("it.app.bytebuddy.version"), "app ByteBuddy = agent's"),
                () -> assertNotEquals(SuiteProperties.version("it.agent.jna.version"),
                        SuiteProperties.version("it.app.jna.version"), "app JNA = agent's"));
    }

    private static void assertAppUsedItsOwnLibraries(JvmProcess app) {
        String byteBuddy = app.awaitLine("BYTEBUDDY version=", LINES_TIMEOUT);
        String made = app.awaitLine("BYTEBUDDY made ", LINES_TIMEOUT);
        String jna = app.awaitLine("JNA version=", LINES_TIMEOUT);
        String call = app.awaitLine("JNA getpid=", LINES_TIMEOUT);
        assertAll(
                () -> assertEquals("BYTEBUDDY version=" + SuiteProperties.version("it.app.bytebuddy.version")
                        + " jar=" + appJar("byte-buddy", "it.app.bytebuddy.version"), byteBuddy),
                () -> assertEquals("BYTEBUDDY made io.tfoagent.it.peers.MadeByAppByteBuddy: made by the app's ByteBuddy",
                        made),
                () -> assertEquals("JNA version=" + SuiteProperties.version("it.app.jna.version")
                        + " jar=" + appJar("jna", "it.app.jna.version"), jna),
                () -> assertEquals("JNA getpid=" + app.pid() + " pid=" + app.pid(), call));
    }

    private static void assertFastOpen(Observed observed) {
        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), observed.statuses(), observed::toString),
                () -> assertTrue(observed.passive() >= REQUESTS - 1, observed::toString),
                () -> assertTrue(observed.acceptsWith(SYN_DATA_ACCEPTED) >= REQUESTS - 1, observed::toString));
    }

    private static void assertOnlyAgentLines(String stderr) {
        assertEquals(List.of(), stderr.lines().filter(line -> !line.startsWith("tfo-agent")).toList(),
                "stderr lines not from the agent, in:\n" + stderr);
    }

    private record Observed(List<String> statuses, long passive, List<String> accepts, String stderr) {
        long acceptsWith(String fragment) {
            return accepts.stream().filter(line -> line.contains(fragment)).count();
        }
    }
}
