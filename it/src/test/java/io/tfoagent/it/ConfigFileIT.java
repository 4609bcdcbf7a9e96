package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code config=PATH} in a real JVM, at its start and on attach: the file's entries apply, a later
 * source wins per key (file, then {@code TFO_AGENT_OPTIONS}, then the agent arguments), a bad line
 * or a missing file costs one line and nothing else, and the options in effect are printed once.
 * The oracle for "applies" is the server namespace's TCPFastOpenPassive counter under curl
 * --tcp-fastopen: {@code server=off} or a denied port in the file must take TFO away.
 */
class ConfigFileIT extends TwoHostsTest {
    private static final int REQUESTS = 4;
    private static final Duration LINES_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> ALLOW_ATTACH = List.of("-XX:+EnableDynamicAgentLoading");
    private static final AtomicInteger PORTS = new AtomicInteger(18580);

    @TempDir
    static Path dir;

    private static Path config(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void theFileAppliesABadLineIsNamedAndTheEffectiveOptionsArePrintedOnce(Jdk jdk) {
        Path file = config("off-" + jdk + ".conf", "# the fleet's options\n\nserver=off\nqlen=abc\napi-secret=hunter2\n");
        Observed o = serve(jdk, "config=" + file, Map.of(), PORTS.getAndIncrement());

        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), o.statuses(), o::toString),
                () -> assertEquals(0, o.passive(), "server=off from the file: " + o),
                () -> assertEquals(List.of("tfo-agent: options in effect: config='" + file + "' server='off' (the rest"
                        + " at their defaults)"), o.lines("tfo-agent: options in effect"), o::toString),
                () -> assertEquals(1, o.lines("tfo-agent: config '" + file + "' line 4: option 'qlen=abc' rejected:")
                        .size(), o::toString),
                () -> assertEquals(1, o.lines("tfo-agent: config '" + file + "' line 5: option 'api-secret=***'"
                        + " rejected:").size(), o::toString),
                () -> assertFalse(o.stderr().contains("hunter2"), o::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void theEnvironmentWinsOverTheFileAndTheAgentArgumentsOverBoth(Jdk jdk) {
        Path file = config("merge-" + jdk + ".conf", "server=off\n");
        Observed environmentWins = serve(jdk, "config=" + file, Map.of("TFO_AGENT_OPTIONS", "server=on"),
                PORTS.getAndIncrement());
        Observed argumentsWin = serve(jdk, "config=" + file + ",server=off", Map.of("TFO_AGENT_OPTIONS", "server=on"),
                PORTS.getAndIncrement());

        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), environmentWins.statuses(),
                        environmentWins::toString),
                () -> assertTrue(environmentWins.passive() >= REQUESTS - 1, environmentWins::toString),
                () -> assertEquals(List.of("tfo-agent: options in effect: config='" + file + "' server='on' (the rest"
                        + " at their defaults)"), environmentWins.lines("tfo-agent: options in effect"),
                        environmentWins::toString),
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), argumentsWin.statuses(), argumentsWin::toString),
                () -> assertEquals(0, argumentsWin.passive(), argumentsWin::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void aMissingFileCostsOneLineAndTheAgentRuns(Jdk jdk) {
        Path missing = dir.resolve("missing-" + jdk + ".conf");
        Observed o = serve(jdk, "config=" + missing, Map.of(), PORTS.getAndIncrement());

        assertAll(
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), o.statuses(), o::toString),
                () -> assertTrue(o.passive() >= REQUESTS - 1, "server TFO at its default: " + o),
                () -> assertEquals(List.of("tfo-agent: config '" + missing + "' no such file; no option was read from"
                        + " it"), o.lines("tfo-agent: config "), o::toString));
    }

    /** The target reads the file itself (the command checks it first): its denied port stays without TFO. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void attachReadsTheFile(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        Path file = config("attach-" + jdk + ".conf", "server-deny=:" + port + "\n");
        try (JvmProcess target = ServerKind.NIO.start(jdk, server, ALLOW_ATTACH, link.peerIpv4(), port)) {
            Command.Result attach = AgentCli.run(jdk, server, "attach", String.valueOf(target.pid()), "config=" + file);
            String effective = target.awaitStderrLine("tfo-agent: options in effect", LINES_TIMEOUT);
            Observed o = requests(target, port);

            assertAll(
                    () -> assertEquals(0, attach.exitCode(), attach::toString),
                    () -> assertEquals("tfo-agent: options in effect: config='" + file + "' server-deny=':" + port
                            + "' (the rest at their defaults)", effective),
                    () -> assertEquals(Collections.nCopies(REQUESTS, "200"), o.statuses(), o::toString),
                    () -> assertEquals(0, o.passive(), "the file's server-deny: " + o),
                    () -> assertEquals(List.of(), o.lines("tfo-agent: TFO on listener"), o::toString));
        }
    }

    /** A NIO server with {@code -javaagent:...=options} and {@code environment}, and {@link #REQUESTS} curl GETs. */
    private static Observed serve(Jdk jdk, String options, Map<String, String> environment, int port) {
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, Agent.with(options), link.peerIpv4(), port,
                environment)) {
            return requests(peer, port);
        }
    }

    /** GETs, the passive TFO count they made, then the server stopped and its stderr kept. */
    private static Observed requests(JvmProcess peer, int port) {
        long before = server.tcpExt().get(TcpExtCounters.PASSIVE);
        List<String> statuses = IntStream.range(0, REQUESTS).mapToObj(i -> Curl.get(client, link.peerIpv4(), port))
                .toList();
        long passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - before;
        return new Observed(statuses, passive, peer.stop());
    }

    private record Observed(List<String> statuses, long passive, String stderr) {
        List<String> lines(String prefix) {
            return stderr.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }
}
