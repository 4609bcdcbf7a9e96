package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.semantics.MixedClient;
import io.tfoagent.it.semantics.SemanticsServer;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live counters (issue 10): a client JVM in one namespace makes a mixed workload, in two
 * rounds, against a TFO server JVM in the other: GETs to the port it allows (replay-safe, in the
 * SYN once the kernel has a cookie) and connections to a port it does not (a banner server).
 * Both run the agent with {@code log-interval=1}; the client also runs Prometheus' jmx_exporter
 * agent. The oracle is each namespace's own TcpExt counters, read by the test before the JVMs
 * start and after each round:
 * <ul>
 * <li>the counters line appears after each round within a bounded wait (the second one proves the
 *     interval: with no line but at exit, it would not come), and its numbers are the kernel's:
 *     connections that saved a round trip = TCPFastOpenActive (client) and TCPFastOpenPassive
 *     (server) grown, and every TcpExt delta it prints equals the test's own;
 * <li>the jmx_exporter scrape on the client's loopback shows the same numbers (the MBean attributes);
 * <li>{@code status PID} prints that line and the destination view of the running client JVM;
 * <li>at exit the line and the destination view are printed again.
 * </ul>
 */
class LiveCountersIT extends TwoHostsTest {
    private static final AtomicInteger PORTS = new AtomicInteger(18480);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int FIRST_ROUND = 4;
    private static final int SECOND_ROUND = 3;
    private static final String COUNTERS = "tfo-agent: counters: ";
    private static final Pattern CLIENT = Pattern.compile("client (\\d+) of (\\d+) connections saved a round trip");
    private static final Pattern SERVER = Pattern.compile("server (\\d+) of (\\d+) accepted connections saved");
    private static final Pattern KERNEL = Pattern.compile("(TCPFastOpen\\w+) \\+(-?\\d+)");
    private static final Pattern METRIC = Pattern.compile("^(io_tfoagent_\\S+) (\\S+)$", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void countersLineMBeansAndStatusShowTheKernelsCounts(Jdk jdk) throws IOException {
        int http = PORTS.getAndAdd(3);
        int banner = http + 1;
        int exporter = http + 2;
        String host = link.peerIpv4();
        Path exporterConfig = Files.createTempFile("jmx-exporter", ".yaml");
        Files.writeString(exporterConfig, "includeObjectNames: [\"io.tfoagent:*\"]\n");
        List<String> clientJvm = new ArrayList<>(List.of(
                "-javaagent:" + SuiteProperties.jmxExporter() + "=127.0.0.1:" + exporter + ":" + exporterConfig));
        clientJvm.addAll(ClientPeerJvm.withAccess(Agent.with("allow=" + host + ":" + http + ",server=off,log-interval=1")));
        TcpExtCounters clientAtStart = client.tcpExt();
        TcpExtCounters serverAtStart = server.tcpExt();
        try (JvmProcess serverJvm = JvmProcess.start(jdk, server, ClientPeerJvm.withAccess(Agent.with("log-interval=1")),
                SemanticsServer.class, List.of(host, String.valueOf(http), String.valueOf(banner)));
                JvmProcess clientJvmProcess = startClient(jdk, serverJvm, clientJvm, host, http, banner)) {
            clientJvmProcess.send(String.valueOf(FIRST_ROUND));
            clientJvmProcess.awaitLine("ROUND", TIMEOUT);
            String first = settledLine(clientJvmProcess, 2 * FIRST_ROUND);
            Map<String, Long> firstKernel = deltas(clientAtStart, client.tcpExt());

            clientJvmProcess.send(String.valueOf(SECOND_ROUND));
            String round = clientJvmProcess.awaitLines("ROUND", 2, TIMEOUT).get(1);
            int total = 2 * (FIRST_ROUND + SECOND_ROUND);
            String second = settledLine(clientJvmProcess, total);
            Map<String, Long> clientKernel = deltas(clientAtStart, client.tcpExt());
            String serverLine = serverJvm.awaitStderrLines(l -> l.startsWith(COUNTERS) && number(SERVER, l, 2) == total,
                    "with " + total + " accepted", 1, TIMEOUT).get(0);
            Map<String, Long> serverKernel = deltas(serverAtStart, server.tcpExt());
            Map<String, Long> metrics = scrape(exporter);
            Command.Result status = AgentCli.run(jdk, client, "status", String.valueOf(clientJvmProcess.pid()));
            clientJvmProcess.closeStdin();
            int exit = clientJvmProcess.awaitExit(TIMEOUT);
            List<String> atExit = clientJvmProcess.stderr().lines().toList();

            long saved = number(CLIENT, second, 1);
            String allowed = host + ":" + http;
            String notAllowed = host + ":" + banner;
            String seen = "client stderr:\n" + clientJvmProcess.stderr() + "\nserver stderr:\n" + serverJvm.stderr();
            assertAll(
                    () -> assertEquals("ROUND " + SECOND_ROUND + " " + SECOND_ROUND, round, seen),
                    () -> assertEquals(firstKernel.get(TcpExtCounters.ACTIVE), number(CLIENT, first, 1), first),
                    () -> assertEquals(firstKernel, kernelPart(first), first),
                    () -> assertTrue(first.contains(FIRST_ROUND + " not allowed"), first),
                    () -> assertEquals(clientKernel.get(TcpExtCounters.ACTIVE), saved, second),
                    () -> assertTrue(saved >= SECOND_ROUND, "TFO never applied: " + second),
                    () -> assertEquals(clientKernel, kernelPart(second), second),
                    () -> assertTrue(second.contains(total / 2 + " not allowed"), second),
                    () -> assertEquals(serverKernel.get(TcpExtCounters.PASSIVE), number(SERVER, serverLine, 1), serverLine),
                    () -> assertEquals(serverKernel, kernelPart(serverLine), serverLine),
                    // The banner connections, and a GET that asked for its cookie.
                    () -> assertTrue(serverLine.contains((total - serverKernel.get(TcpExtCounters.PASSIVE)) + " not by TFO"),
                            serverLine),
                    // The MBeans, through Prometheus' exporter.
                    () -> assertEquals(saved, metrics.get("io_tfoagent_Client_SynDataAcked"), metrics::toString),
                    () -> assertEquals(total / 2, metrics.get("io_tfoagent_Client_NotAllowed"), metrics::toString),
                    () -> assertEquals(clientKernel.get(TcpExtCounters.ACTIVE),
                            metrics.get("io_tfoagent_Kernel_TCPFastOpenActive"), metrics::toString),
                    () -> assertEquals(clientKernel.get(TcpExtCounters.ACTIVE_FAIL),
                            metrics.get("io_tfoagent_Kernel_TCPFastOpenActiveFail"), metrics::toString),
                    () -> assertEquals(total / 2, metrics.get("io_tfoagent_Client_Destinations_Connections{Destination=\""
                            + allowed + "\"}"), metrics::toString),
                    () -> assertEquals(saved, metrics.get("io_tfoagent_Client_Destinations_SavedRoundTrip{Destination=\""
                            + allowed + "\"}"), metrics::toString),
                    // status PID: the same line, and the view.
                    () -> assertEquals(0, status.exitCode(), status::toString),
                    () -> assertTrue(status.stdout().lines().anyMatch(
                            l -> l.equals("tfo-agent: " + clientJvmProcess.pid() + ": " + second.substring("tfo-agent: ".length()))),
                            status::toString),
                    () -> assertTrue(status.stdout().contains("destination " + allowed + ": " + total / 2 + " connections, "
                            + saved + " saved a round trip"), status::toString),
                    () -> assertTrue(status.stdout().contains("destination " + notAllowed + ": " + total / 2
                            + " connections, 0 saved a round trip (0%), missed mostly: not allowed (" + total / 2 + ")"),
                            status::toString),
                    // At exit: the line once more, then the view.
                    () -> assertEquals(0, exit, seen),
                    () -> assertEquals(second, atExit.get(atExit.size() - 3), seen),
                    () -> assertTrue(atExit.get(atExit.size() - 2).startsWith("tfo-agent: destination " + allowed + ": "
                            + total / 2 + " connections, " + saved + " saved a round trip"), seen),
                    () -> assertTrue(atExit.get(atExit.size() - 1).startsWith("tfo-agent: destination " + notAllowed
                            + ": " + total / 2 + " connections, 0 saved"), seen));
        } finally {
            Files.deleteIfExists(exporterConfig);
        }
    }

    private static JvmProcess startClient(Jdk jdk, JvmProcess serverJvm, List<String> jvm, String host, int http,
            int banner) {
        serverJvm.awaitLine("LISTENING", TIMEOUT);
        JvmProcess started = JvmProcess.start(jdk, client, jvm, MixedClient.class,
                List.of(host, String.valueOf(http), String.valueOf(banner)));
        started.awaitLine("READY", TIMEOUT);
        return started;
    }

    /**
     * The first counters line of the client that counts {@code connections} connections, all
     * settled: a line printed while a connection was still opening would count it there.
     */
    private static String settledLine(JvmProcess clientJvm, int connections) {
        return clientJvm.awaitStderrLines(l -> l.startsWith(COUNTERS) && number(CLIENT, l, 2) == connections
                && !l.contains("opening or failed"), "with " + connections + " settled connections", 1, TIMEOUT).get(0);
    }

    private static long number(Pattern pattern, String line, int group) {
        Matcher m = pattern.matcher(line);
        return m.find() ? Long.parseLong(m.group(group)) : -1;
    }

    private static Map<String, Long> kernelPart(String line) {
        Map<String, Long> values = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(line);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return values;
    }

    /** The seven TFO counters the agent prints, as grown between two reads. */
    private static Map<String, Long> deltas(TcpExtCounters before, TcpExtCounters after) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String name : List.of(TcpExtCounters.ACTIVE, TcpExtCounters.ACTIVE_FAIL, TcpExtCounters.PASSIVE,
                TcpExtCounters.PASSIVE_FAIL, TcpExtCounters.COOKIE_REQUIRED, TcpExtCounters.LISTEN_OVERFLOW,
                TcpExtCounters.BLACKHOLE)) {
            values.put(name, after.get(name) - before.get(name));
        }
        return values;
    }

    /** The exporter's io_tfoagent metrics, scraped with curl inside the client's namespace. */
    private static Map<String, Long> scrape(int port) {
        Command.Result result = Command.run(client.exec(List.of("curl", "--silent", "--show-error", "--max-time", "10",
                "http://127.0.0.1:" + port + "/metrics")), TIMEOUT);
        if (result.exitCode() != 0) {
            throw new UncheckedIOException(new IOException("scrape failed: " + result));
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        Matcher m = METRIC.matcher(result.stdout());
        while (m.find()) {
            metrics.put(m.group(1), (long) Double.parseDouble(m.group(2)));
        }
        return metrics;
    }
}
