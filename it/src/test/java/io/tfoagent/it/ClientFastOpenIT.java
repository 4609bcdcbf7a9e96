package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.peers.MethodReportingHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client path (DESIGN.md §4): with the agent allowing the destination, every kind of client
 * puts its replay-safe first write (an HTTP GET, a TLS ClientHello) in the SYN of each fresh
 * connection once it has a cookie, and never a request that is not replay-safe (POST, PUT), whose
 * connections still use the cookie with a bare SYN. The server is nginx, which nobody here wrote,
 * or a JVM peer that prints for each connection the method it received beside its TCP_INFO.
 *
 * <p>The oracles are the kernel's, per namespace: the client's TCPFastOpenActive (connections whose
 * SYN data the server acked), the server's TCPFastOpenPassive (connections the server opened on a
 * valid cookie, data or not), the server's view of each connection (nginx's connection serials,
 * the JVM peer's TCP_INFO), never the agent's own counters, which failure messages show beside them.
 */
class ClientFastOpenIT extends TwoHostsTest {
    /** Fresh connections that must carry their request in the SYN, after one that may fetch the cookie. */
    private static final int REQUESTS = 20;
    /** The alternating GET/POST run against the JVM peer: half of each. */
    private static final int MIXED_REQUESTS = 1000;
    private static final int HTTP_PORT = 18480;
    private static final String ORIGIN = "origin.tfo.test";
    private static final int HTTPS_PORT = 18443;
    private static final int JVM_SERVER_PORT = 18490;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACCEPT_LINES_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path nginxDir;

    private static Nginx nginx;

    @BeforeAll
    static void namespacesAndNginx() {
        nginx = Nginx.start(server, nginxDir, List.of(link.peerIpv4(), link.peerIpv6()), HTTP_PORT, HTTPS_PORT);
    }

    @AfterAll
    static void stopNginxAndRemoveNamespaces() {
        if (nginx != null) {
            nginx.close(); // before TwoHostsTest removes the namespaces
        }
    }

    /** Every client kind with POST on every JDK, and the raw socket with PUT. */
    static Stream<Arguments> jdkKindAndUnsafeMethod() {
        return Jdks.all().flatMap(jdk -> Stream.concat(
                Stream.of(ClientKind.values()).map(kind -> Arguments.of(jdk, kind, "POST")),
                Stream.of(Arguments.of(jdk, ClientKind.SOCKET, "PUT"))));
    }

    static Stream<Arguments> ipv6Kinds() {
        return Jdks.crossedWith(ClientKind.SOCKET, ClientKind.SELECTOR_CHANNEL);
    }

    static Stream<Arguments> jdkAndMethod() {
        return Jdks.crossedWith("GET", "POST");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ClientKind#onEachJdk")
    void getRidesInTheSyn(Jdk jdk, ClientKind kind) {
        Observed observed = toNginx(jdk, kind, agent(), "GET", HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(observed, "GET"),
                () -> assertTrue(observed.active() >= REQUESTS, () -> "fewer than " + REQUESTS
                        + " requests in a SYN the server acked\n" + observed));
    }

    /**
     * Another agent on the same JDK classes (DESIGN.md hazard 10): OpenTelemetry's, which
     * instruments these HTTP clients and the JDK, loaded before or after ours. Both keep
     * working and every request still rides in the SYN. (OpenTelemetry's own CDS warning, from
     * appending to the bootstrap class path, is the one stderr line allowed that is not ours.)
     */
    @ParameterizedTest(name = "{0} {1} otel {2}")
    @MethodSource("jdkKindAndOtelOrder")
    void openTelemetryAgentBesideOurs(Jdk jdk, ClientKind kind, String otelOrder) {
        List<String> otel = List.of("-javaagent:" + SuiteProperties.otelAgent(), "-Dotel.traces.exporter=none",
                "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none");
        List<String> options = new ArrayList<>(otelOrder.equals("first") ? otel : agent());
        options.addAll(otelOrder.equals("first") ? agent() : otel);
        Observed observed = toNginx(jdk, kind, options, "GET", HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(observed, "GET", line -> line.contains("Sharing is only supported for boot"
                        + " loader classes because bootstrap classpath has been appended")),
                () -> assertTrue(observed.active() >= REQUESTS, () -> "fewer than " + REQUESTS
                        + " requests in a SYN the server acked\n" + observed));
    }

    /** Each order once per JDK, with a different instrumented client (an OpenTelemetry JVM starts slowly). */
    static Stream<Arguments> jdkKindAndOtelOrder() {
        return Jdks.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, ClientKind.URL_CONNECTION, "first"),
                Arguments.of(jdk, ClientKind.JDK_HTTP_CLIENT, "second")));
    }

    /**
     * Destinations by name: an {@code allow} entry for {@code *.tfo.test} matches the name the
     * application connected to (resolved through a hosts file the client JVM is given, no DNS),
     * and an entry for another name does not.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndNamedKind")
    void hostNameEntriesMatchTheNameTheApplicationUsed(Jdk jdk, ClientKind kind) throws IOException {
        List<String> allowed = new ArrayList<>(hostsFile());
        allowed.addAll(Agent.with("allow=*.tfo.test"));
        Observed byName = toNginx(jdk, kind, allowed, ORIGIN, "GET", HTTP_PORT, null);
        List<String> other = new ArrayList<>(hostsFile());
        other.addAll(Agent.with("allow=other.tfo.test"));
        Observed otherName = toNginx(jdk, kind, other, ORIGIN, "GET", HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(byName, "GET"),
                () -> assertTrue(byName.active() >= REQUESTS, byName::toString),
                () -> assertAllServed(otherName, "GET"),
                () -> assertEquals(0, otherName.active(), otherName::toString));
    }

    /**
     * {@code trust=}: the operator vouches that the destination's protocol is replay-safe, so
     * even a POST rides in the SYN; without it (above) a POST never does.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void trustedDestinationPutsAnyFirstWriteInTheSyn(Jdk jdk) {
        Observed observed = toNginx(jdk, ClientKind.SOCKET,
                Agent.with("allow=" + link.peerIpv4() + ",trust=" + link.peerIpv4() + ":" + HTTP_PORT), "POST",
                HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(observed, "POST"),
                () -> assertTrue(observed.active() >= REQUESTS, observed::toString));
    }

    static Stream<Arguments> jdkAndNamedKind() {
        return Jdks.crossedWith(ClientKind.SOCKET, ClientKind.JDK_HTTP_CLIENT);
    }

    /** The client JVM resolves {@link #ORIGIN} to the server through this file, never through DNS. */
    private static List<String> hostsFile() throws IOException {
        Path hosts = nginxDir.resolve("hosts");
        Files.writeString(hosts, link.peerIpv4() + " " + ORIGIN + "\n");
        return List.of("-Djdk.net.hosts.file=" + hosts);
    }

    /** IPv6 destinations: the JDK's own IPv6 sockets, not IPv4-mapped ones, matched by a /48 pattern. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ipv6Kinds")
    void getOverIpv6RidesInTheSyn(Jdk jdk, ClientKind kind) {
        Observed observed = toNginx(jdk, kind, Agent.with("allow=2001:2::/48"), link.peerIpv6(), "GET", HTTP_PORT,
                null);

        assertAll(
                () -> assertAllServed(observed, "GET"),
                () -> assertTrue(observed.active() >= REQUESTS, () -> "fewer than " + REQUESTS
                        + " requests in a SYN the server acked\n" + observed));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ClientKind#onEachJdk")
    void withoutAgentNoSynCarriesData(Jdk jdk, ClientKind kind) {
        Observed observed = toNginx(jdk, kind, Agent.NONE, "GET", HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(observed, "GET"),
                () -> assertEquals(0, observed.active(), observed::toString),
                () -> assertEquals(0, observed.passive(), observed::toString));
    }

    /**
     * Not replay-safe: no byte of any request in a SYN (a duplicated SYN could deliver it twice),
     * yet every connection after the first opened on the cookie with a bare SYN.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("jdkKindAndUnsafeMethod")
    void unsafeRequestNeverRidesInTheSyn(Jdk jdk, ClientKind kind, String method) {
        Observed observed = toNginx(jdk, kind, agent(), method, HTTP_PORT, null);

        assertAll(
                () -> assertAllServed(observed, method),
                () -> assertEquals(0, observed.active(), () -> "a " + method + " rode in a SYN\n" + observed),
                () -> assertTrue(observed.passive() >= REQUESTS, () -> "fewer than " + REQUESTS
                        + " connections opened on the cookie\n" + observed));
    }

    /** TLS 1.3: the ClientHello is replay-safe whatever request follows it inside the session. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndMethod")
    void tlsClientHelloRidesInTheSyn(Jdk jdk, String method) {
        Observed observed = toNginx(jdk, ClientKind.JDK_HTTP_CLIENT, agent(), method, HTTPS_PORT,
                nginx.certificate().toString());

        assertAll(
                () -> assertAllServed(observed, method),
                () -> assertTrue(observed.requests().stream().allMatch(r -> r.tls().equals("TLSv1.3")),
                        () -> "not all over TLS 1.3\n" + observed),
                () -> assertTrue(observed.active() >= REQUESTS, () -> "fewer than " + REQUESTS
                        + " ClientHellos in a SYN the server acked\n" + observed));
    }

    /**
     * Many connections, GET and POST in turn, through java.net.Socket to a JVM server whose own agent
     * accepts SYN data: the server reports each connection's method beside its TCP_INFO. No POST
     * may arrive in a SYN; the GETs do, and every connection after the first opens on the cookie.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void alternatingGetAndPostOnlyGetsRideInTheSyn(Jdk jdk) {
        long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
        List<String> accepts;
        ClientKind.Finished finished;
        List<String> serverOptions = new ArrayList<>(Agent.withDefaults());
        serverOptions.addAll(ServerKind.acceptReportOptions());
        try (JvmProcess peer = JvmProcess.start(jdk, server, serverOptions, MethodReportingHttpServer.class,
                List.of(link.peerIpv4(), String.valueOf(JVM_SERVER_PORT)))) {
            peer.awaitLine("LISTENING ", ACCEPT_LINES_TIMEOUT);
            finished = ClientKind.SOCKET.run(jdk, client, agent(), link.peerIpv4(), JVM_SERVER_PORT,
                    MIXED_REQUESTS, "GET,POST", null, CLIENT_TIMEOUT);
            // Each line is printed before the reply, so once the client has its answers, all are out.
            accepts = finished.exitCode() == 0
                    ? peer.awaitLines(ServerKind.ACCEPTED, MIXED_REQUESTS, ACCEPT_LINES_TIMEOUT)
                    : List.of();
            peer.stop();
        }
        long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;

        long gets = count(accepts, "method=GET ");
        long posts = count(accepts, "method=POST ");
        long getsInSyn = count(accepts, "method=GET syn_data=true");
        long postsInSyn = count(accepts, "method=POST syn_data=true");
        long postsOnCookie = count(accepts, "method=POST syn_data=false tfo_child=true");
        String seen = "gets=" + gets + " (in the SYN " + getsInSyn + ") posts=" + posts + " (in the SYN " + postsInSyn
                + ", on the cookie " + postsOnCookie + ") client TCPFastOpenActive delta=" + active + "\nagent: "
                + finished.agentSummary() + "\n--- client stdout (tail)\n" + StreamLines.tail(finished.stdout(), 20)
                + "\n--- client stderr\n" + finished.stderr();
        assertAll(
                () -> assertEquals(0, finished.exitCode(), seen),
                () -> assertEquals(Collections.nCopies(MIXED_REQUESTS, 200), finished.statuses(), seen),
                () -> assertEquals(MIXED_REQUESTS / 2, gets, seen),
                () -> assertEquals(MIXED_REQUESTS / 2, posts, seen),
                () -> assertEquals(0, postsInSyn, () -> "a POST arrived in a SYN: " + seen),
                () -> assertTrue(getsInSyn >= atLeast99Percent(gets), seen),
                () -> assertTrue(postsOnCookie >= atLeast99Percent(posts), seen),
                // Two oracles that must agree: SYN data the client's kernel saw acked, the server's saw arrive.
                () -> assertEquals(getsInSyn, active, seen));
    }

    /**
     * Runs {@link #REQUESTS} + 1 requests (the first may only fetch the cookie) of one client kind to
     * nginx and collects what the kernels and nginx saw.
     */
    private static Observed toNginx(Jdk jdk, ClientKind kind, List<String> agent, String method, int port,
            String certificate) {
        return toNginx(jdk, kind, agent, link.peerIpv4(), method, port, certificate);
    }

    private static Observed toNginx(Jdk jdk, ClientKind kind, List<String> agent, String host, String method,
            int port, String certificate) {
        int count = REQUESTS + 1;
        int logged = nginx.requests().size();
        long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
        long passiveBefore = server.tcpExt().get(TcpExtCounters.PASSIVE);
        ClientKind.Finished finished = kind.run(jdk, client, agent, host, port, count, method, certificate,
                CLIENT_TIMEOUT);
        List<Nginx.Request> requests = nginx.awaitRequestsAfter(logged, finished.exitCode() == 0 ? count : 0);
        long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;
        long passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - passiveBefore;
        return new Observed(count, finished, requests, active, passive);
    }

    /**
     * Every request answered 200, each on a connection of its own as nginx saw them (a client that
     * reused one would prove nothing), and nothing on the client's stderr but the agent's own lines:
     * no exception, warning or log line that the agent provoked in the application.
     */
    private static void assertAllServed(Observed observed, String method) {
        assertAllServed(observed, method, line -> false);
    }

    /** @param othersLines stderr lines the test expects from someone else (another agent) */
    private static void assertAllServed(Observed observed, String method, Predicate<String> othersLines) {
        int count = observed.count();
        List<Nginx.Request> requests = observed.requests();
        assertAll(
                () -> assertEquals(0, observed.finished().exitCode(), observed::toString),
                () -> assertEquals(List.of(), observed.finished().stderr().lines()
                        .filter(line -> !line.startsWith("tfo-agent") && !othersLines.test(line)).toList(),
                        observed::toString),
                () -> assertEquals(Collections.nCopies(count, 200), observed.finished().statuses(), observed::toString),
                () -> assertEquals(Collections.nCopies(count, method), requests.stream().map(Nginx.Request::method)
                        .toList(), observed::toString),
                () -> assertEquals(count, requests.stream().mapToLong(Nginx.Request::connection).distinct().count(),
                        () -> "requests shared connections\n" + observed),
                () -> assertTrue(requests.stream().allMatch(r -> r.requestOnConnection() == 1 && r.status() == 200),
                        observed::toString));
    }

    /** Client TFO for the server's address only: the pattern is an exact address, not a range. */
    private static List<String> agent() {
        return Agent.with("allow=" + link.peerIpv4());
    }

    private static long atLeast99Percent(long n) {
        return (n * 99 + 99) / 100;
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    /** What one client run showed: its own output, nginx's log of its requests, the kernels' TFO counts. */
    private record Observed(int count, ClientKind.Finished finished, List<Nginx.Request> requests, long active,
            long passive) {
        @Override
        public String toString() {
            return "client TCPFastOpenActive delta=" + active + ", server TCPFastOpenPassive delta=" + passive
                    + ", requests sent=" + count + "\nagent: " + finished.agentSummary() + "\nnginx saw " + requests
                    + "\n--- client stdout (tail)\n" + StreamLines.tail(finished.stdout(), 20) + "\n--- client stderr\n"
                    + finished.stderr();
        }
    }
}
