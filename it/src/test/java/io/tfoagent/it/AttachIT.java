package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md §5: {@code java -jar tfo-agent.jar attach PID} loads the agent into a running JVM, and
 * the listeners it already has get TFO at once. Each kind of server starts without the agent and
 * serves one request without TFO; then the agent is attached (from inside the same namespace, with
 * the target's JDK) and the next requests carry data in the SYN. Oracles as in
 * {@link ServerFastOpenIT}.
 */
class AttachIT extends TwoHostsTest {
    private static final int REQUESTS = 4;
    private static final String SYN_DATA_ACCEPTED = "syn_data=true tfo_child=true";
    private static final Duration LINES_TIMEOUT = Duration.ofSeconds(10);
    /** Says that loading an agent later is expected: JDK 21+ warns on stderr otherwise (JEP 451). */
    private static final List<String> ALLOW_ATTACH = List.of("-XX:+EnableDynamicAgentLoading");
    private static final AtomicInteger PORTS = new AtomicInteger(18380);




    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#onEachJdk")
    void attachGivesOpenListenerFastOpen(Jdk jdk, ServerKind kind) {
        int port = PORTS.getAndIncrement();
        try (JvmProcess target = kind.start(jdk, server, ALLOW_ATTACH, link.peerIpv4(), port)) {
            Observed before = requests(target, kind, port, 1, 0);
            Command.Result attach = attach(jdk, target);
            String listenerLine = target.awaitStderrLine("tfo-agent: TFO on listener", LINES_TIMEOUT);
            Observed after = requests(target, kind, port, REQUESTS, 1);
            String stderr = target.stop();

            assertAll(
                    () -> assertEquals(List.of("200"), before.statuses(), before::toString),
                    () -> assertEquals(0, before.passive(), "TFO before the attach: " + before),
                    () -> assertEquals(0, before.acceptsWith("syn_data=true"), before::toString),
                    () -> assertEquals(0, attach.exitCode(), attach::toString),
                    () -> assertTrue(attach.stdout().contains("attached to " + target.pid()), attach::toString),
                    () -> assertTrue(listenerLine.contains(link.peerIpv4() + ":" + port), listenerLine),
                    () -> assertEquals(Collections.nCopies(REQUESTS, "200"), after.statuses(), after::toString),
                    () -> assertTrue(after.passive() >= REQUESTS - 1, after::toString),
                    () -> assertTrue(!kind.reportsAccepts() || after.acceptsWith(SYN_DATA_ACCEPTED) >= REQUESTS - 1,
                            after::toString),
                    // No JDK warning about the agent loaded late, nor anything else but the agent's own lines.
                    () -> assertEquals(List.of(), stderr.lines().filter(l -> !l.startsWith("tfo-agent")).toList(),
                            "target stderr:\n" + stderr),
                    () -> assertEquals(List.of(), attach.stderr().lines().toList(), attach::toString));
        }
    }

    /** The options given to attach are the agent's options: a denied port stays without TFO. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void attachAppliesItsOptions(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        ServerKind kind = ServerKind.NIO;
        try (JvmProcess target = kind.start(jdk, server, ALLOW_ATTACH, link.peerIpv4(), port)) {
            Command.Result attach = attach(jdk, target, "server-deny=:" + port);
            target.awaitStderrLine("tfo-agent: 0.1.0 on Java", LINES_TIMEOUT);
            Observed after = requests(target, kind, port, REQUESTS, 0);
            String stderr = target.stop();

            assertAll(
                    () -> assertEquals(0, attach.exitCode(), attach::toString),
                    () -> assertEquals(Collections.nCopies(REQUESTS, "200"), after.statuses(), after::toString),
                    () -> assertEquals(0, after.passive(), after::toString),
                    () -> assertEquals(0, after.acceptsWith("syn_data=true"), after::toString),
                    () -> assertTrue(stderr.lines().noneMatch(l -> l.startsWith("tfo-agent: TFO on listener")), stderr));
        }
    }

    /**
     * {@code strict=true} stops a JVM at its start only: a bad option given to attach is refused by the
     * command, in one line naming it, and the running JVM goes on serving as before and exits normally.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void attachWithStrictAndBadOptionLeavesTargetRunning(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        ServerKind kind = ServerKind.NIO;
        try (JvmProcess target = kind.start(jdk, server, ALLOW_ATTACH, link.peerIpv4(), port)) {
            Command.Result attach = attach(jdk, target, "strict=true,qlen=abc");
            Observed after = requests(target, kind, port, 1, 0);
            int exit = exitNormally(target);

            List<String> cliLines = attach.stderr().lines().toList();
            assertAll(
                    () -> assertEquals(2, attach.exitCode(), attach::toString),
                    () -> assertEquals(1, cliLines.size(), attach::toString),
                    () -> assertTrue(cliLines.get(0).startsWith("tfo-agent: ") && cliLines.get(0).contains("qlen=abc"),
                            attach::toString),
                    () -> assertFalse(attach.stderr().contains("same user"), attach::toString),
                    () -> assertFalse(attach.stdout().contains("attached to"), attach::toString),
                    () -> assertEquals(List.of("200"), after.statuses(), after::toString),
                    () -> assertEquals(0, exit, "target stderr:\n" + target.stderr()),
                    () -> assertEquals(List.of(), target.stderr().lines().toList(), "target stderr"));
        }
    }

    /**
     * The same on the target's side, where the command cannot see it: a bad option with
     * {@code strict=true} from the target's {@code TFO_AGENT_OPTIONS} costs one line in its log and no
     * TFO, never the running JVM.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void strictBadOptionInTargetEnvironmentLeavesTargetRunning(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        ServerKind kind = ServerKind.NIO;
        try (JvmProcess target = kind.start(jdk, server, ALLOW_ATTACH, link.peerIpv4(), port,
                Map.of("TFO_AGENT_OPTIONS", "strict=true,qlen=abc"))) {
            Command.Result attach = attach(jdk, target);
            String optionLine = target.awaitStderrLine("tfo-agent: ", LINES_TIMEOUT);
            Observed after = requests(target, kind, port, REQUESTS, 0);
            int exit = exitNormally(target);

            assertAll(
                    () -> assertEquals(0, attach.exitCode(), attach::toString),
                    () -> assertTrue(optionLine.contains("qlen=abc")
                            && optionLine.endsWith("the application runs without the agent"), optionLine),
                    () -> assertEquals(Collections.nCopies(REQUESTS, "200"), after.statuses(), after::toString),
                    () -> assertEquals(0, after.passive(), after::toString),
                    () -> assertEquals(0, exit, "target stderr:\n" + target.stderr()),
                    () -> assertEquals(List.of(optionLine), target.stderr().lines().toList(), "target stderr"));
        }
    }

    /** Ends a peer by closing its stdin, on which it exits by itself: its exit code is then its own. */
    private static int exitNormally(JvmProcess target) {
        target.closeStdin();
        return target.awaitExit(LINES_TIMEOUT);
    }

    /** {@code java -jar tfo-agent.jar attach PID [OPTIONS]} with the target's JDK, inside the target's namespace. */
    private static Command.Result attach(Jdk jdk, JvmProcess target, String... options) {
        // ip netns exec execs the command: the child process is the JVM itself, and its pid is the one to attach to.
        String command = ProcessHandle.of(target.pid()).flatMap(h -> h.info().command()).orElse("");
        assertEquals(realPath(jdk.java()), Path.of(command), "pid " + target.pid() + " is not the target JVM");
        String[] args = new String[2 + options.length];
        args[0] = "attach";
        args[1] = String.valueOf(target.pid());
        System.arraycopy(options, 0, args, 2, options.length);
        return AgentCli.run(jdk, server, args);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code count} GETs; {@code acceptedSoFar} is how many connections the target has
     * already reported, so that only the new ones are returned.
     */
    private static Observed requests(JvmProcess target, ServerKind kind, int port, int count, int acceptedSoFar) {
        long passiveBefore = server.tcpExt().get(TcpExtCounters.PASSIVE);
        List<String> statuses = IntStream.range(0, count).mapToObj(i -> Curl.get(client, link.peerIpv4(), port)).toList();
        List<String> accepts = kind.reportsAccepts()
                ? target.awaitLines(ServerKind.ACCEPTED, acceptedSoFar + count, LINES_TIMEOUT)
                        .subList(acceptedSoFar, acceptedSoFar + count)
                : List.of();
        long passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - passiveBefore;
        return new Observed(statuses, passive, accepts);
    }

    private record Observed(List<String> statuses, long passive, List<String> accepts) {
        long acceptsWith(String fragment) {
            return accepts.stream().filter(line -> line.contains(fragment)).count();
        }
    }
}
