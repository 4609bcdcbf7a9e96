package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JFR event io.tfoagent.Decision (README "JFR event"): a client JVM and a server JVM, both
 * with the agent and a recording, six GETs from a fresh client namespace. {@code jfr print} shows one event per connection on each side with
 * the outcome the connection had; the oracle for the SYN data is the server peer's TCP_INFO of each
 * accepted socket.
 */
class DecisionEventIT extends TwoHostsTest {
    private static final int REQUESTS = 6;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACCEPT_LINES_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger PORTS = new AtomicInteger(18680);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void oneEventPerConnectionWithItsOutcome(Jdk jdk) throws IOException {
        client.run("ip", "tcp_metrics", "flush", "all");
        Path dir = Files.createTempDirectory("tfo-jfr");
        Path clientRecording = dir.resolve("client.jfr");
        Path serverRecording = dir.resolve("server.jfr");
        int port = PORTS.getAndIncrement();
        List<String> serverJvm = new ArrayList<>(Agent.withDefaults());
        serverJvm.add("-XX:StartFlightRecording=filename=" + serverRecording);
        List<String> clientJvm = new ArrayList<>(ClientPeerJvm.withAgent());
        clientJvm.add("-XX:StartFlightRecording=filename=" + clientRecording);
        List<String> accepts;
        ClientKind.Finished run;
        try (JvmProcess peer = ServerKind.NIO.start(jdk, server, serverJvm, link.peerIpv4(), port)) {
            run = ClientKind.SOCKET.run(jdk, client, clientJvm, link.peerIpv4(), port, REQUESTS, "GET", null,
                    RUN_TIMEOUT);
            accepts = peer.awaitLines(ServerKind.ACCEPTED, REQUESTS, ACCEPT_LINES_TIMEOUT);
            peer.stop(); // the recording is written at exit
        }
        long synDataTaken = accepts.stream().filter(l -> l.contains("syn_data=true tfo_child=true")).count();
        List<Map<String, String>> clientEvents = events(jdk, clientRecording);
        List<Map<String, String>> serverEvents = events(jdk, serverRecording);

        assertAll(() -> assertEquals(Collections.nCopies(REQUESTS, 200), run.statuses(), run::toString),
                // The first GET fetches the cookie; the others ride in the SYN.
                () -> assertEquals(Map.of("full-handshake no cookie yet false", 1L,
                        "syn-data SYN data acked true", (long) REQUESTS - 1), tally(clientEvents), clientEvents::toString),
                () -> assertEquals(REQUESTS - 1, synDataTaken, accepts::toString),
                () -> assertEquals(REQUESTS, serverEvents.size(), serverEvents::toString),
                () -> assertEquals(synDataTaken, serverEvents.stream()
                        .filter(e -> e.get("acked").equals("true") && e.get("outcome").equals("\"tfo\"")).count(),
                        serverEvents::toString),
                () -> assertEquals(List.of("\"client\""), clientEvents.stream().map(e -> e.get("side")).distinct()
                        .toList()),
                () -> assertEquals(List.of("\"" + link.peerIpv4() + ":" + port + "\""), clientEvents.stream()
                        .map(e -> e.get("destination")).distinct().toList()));
    }

    /** Each event's fields, from {@code jfr print --events io.tfoagent.Decision}. */
    private static List<Map<String, String>> events(Jdk jdk, Path recording) {
        Command.Result printed = Command.run(new ProcessBuilder(jdk.java().resolveSibling("jfr").toString(), "print",
                "--events", "io.tfoagent.Decision", recording.toString()), RUN_TIMEOUT).requireSuccess();
        List<Map<String, String>> events = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : printed.stdout().lines().toList()) {
            if (line.startsWith("io.tfoagent.Decision {")) {
                current = new TreeMap<>();
                events.add(current);
            } else if (current != null && line.contains(" = ")) {
                String[] kv = line.trim().split(" = ", 2);
                current.put(kv[0], kv[1]);
            }
        }
        try {
            Files.delete(recording);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static Map<String, Long> tally(List<Map<String, String>> events) {
        Map<String, Long> tally = new TreeMap<>();
        for (Map<String, String> e : events) {
            tally.merge(e.get("outcome").replace("\"", "") + " " + e.get("reason").replace("\"", "") + " "
                    + e.get("acked"), 1L, Long::sum);
        }
        return tally;
    }
}
