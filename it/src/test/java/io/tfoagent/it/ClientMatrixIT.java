package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.FaultRun.Outcome;
import io.tfoagent.it.clients.ApacheAsyncClient;
import io.tfoagent.it.clients.ApacheClassicClient;
import io.tfoagent.it.clients.AsyncChannelClient;
import io.tfoagent.it.clients.GrpcClient;
import io.tfoagent.it.clients.JdkHttpClientClient;
import io.tfoagent.it.clients.JettyClientPeer;
import io.tfoagent.it.clients.NettyClient;
import io.tfoagent.it.clients.OkHttpClientPeer;
import io.tfoagent.it.clients.ReactorNettyClient;
import io.tfoagent.it.clients.UrlConnectionClient;
import io.tfoagent.it.clients.VertxWebClientPeer;
import io.tfoagent.it.rtt.DelayLine;
import io.tfoagent.shim.TcpExtCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client half of issue 9's compatibility matrix: one cell per client stack, each on both JDKs,
 * across a delay line of {@value #RTT_MILLIS} ms RTT, the kernels' counters the oracle. A cell is
 * one JVM with the agent, stepped: a warm-up request (the cookie), {@value #REQUESTS} GETs, then
 * {@value #REQUESTS} POSTs, then one request to a port where nothing listens; and one JVM without
 * the agent: the warm-up and that refused request.
 *
 * <p>{@link #clientGetsTfo}: the GETs ride in the SYN (client TCPFastOpenActive &gt;= N-1), the
 * POSTs never do (0; over TLS they do, the ClientHello being what rides) yet open on the cookie
 * (server TCPFastOpenPassive &gt;= N-1). {@link #notCoveredYetSaysSoAndChangesNothing}: stacks the
 * agent does not handle today get no TFO (0), one "not covered" line naming their path, and that
 * path counted in the exit line; when the client half of issue 9 lands, their cells move to
 * {@link #COVERED}. In both, every request answers 200 and the refused one ends as without the
 * agent (same exception class, connect-like or not). The database clients, whose first bytes are
 * no HTTP, are cells of {@link DatabaseClientMatrixIT}.
 */
class ClientMatrixIT extends TwoHostsTest {
    private static final int REQUESTS = 10;
    private static final long RTT_MILLIS = 4;
    private static final int HTTP_PORT = 18680;
    private static final int HTTPS_PORT = 18643;
    private static final int GRPC_PORT = 18690;
    /** Nothing listens here: every SYN to it is answered with a RST. */
    private static final int REFUSED_PORT = 18699;

    /** What a cell talks to. */
    enum Service {
        HTTP(HTTP_PORT, false, false), HTTPS(HTTPS_PORT, true, true), GRPC(GRPC_PORT, false, true);

        final int port;
        final boolean tls;
        /**
         * The first write is replay-safe whatever the request: over TLS the ClientHello, over gRPC's
         * plaintext HTTP/2 the client preface and its SETTINGS, with the request's frames after them.
         */
        final boolean safeOpening;

        Service(int port, boolean tls, boolean safeOpening) {
            this.port = port;
            this.tls = tls;
            this.safeOpening = safeOpening;
        }
    }

    /**
     * One client stack: its peer, the system properties that pick its variant, its service, and for a
     * stack the agent does not handle yet, the path its "not covered" line names (null when covered).
     * {@code exactCount}: the stack opens exactly one connection per request, so the count is exact.
     */
    record Cell(String name, Class<?> client, List<String> properties, Service service, String notCovered,
            boolean exactCount, String withoutJar) {
        static Cell covered(String name, Class<?> client, Service service, String... properties) {
            return new Cell(name, client, List.of(properties), service, null, true, null);
        }

        static Cell notCoveredYet(String name, Class<?> client, Service service, String path, boolean exactCount,
                String... properties) {
            return new Cell(name, client, List.of(properties), service, path, exactCount, null);
        }

        /** The cell run on the child class path less the jars whose file name contains {@code part}. */
        Cell withoutJar(String part) {
            return new Cell(name, client, properties, service, notCovered, exactCount, part);
        }

        String classpath() {
            return withoutJar == null ? SuiteProperties.childClasspath()
                    : SuiteProperties.childClasspathWithout(withoutJar);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The jars of Netty's io_uring transport (classes, native), on the suite's class path for its server cells. */
    private static final String IO_URING_JAR = "io_uring";

    static final List<Cell> COVERED = List.of(
            Cell.covered("JDK HttpClient HTTP/1.1", JdkHttpClientClient.class, Service.HTTP),
            Cell.covered("JDK HttpClient h2 over TLS", JdkHttpClientClient.class, Service.HTTPS,
                    "-D" + JdkHttpClientClient.HTTP2 + "=true"),
            Cell.covered("HttpURLConnection", UrlConnectionClient.class, Service.HTTP),
            Cell.covered("OkHttp", OkHttpClientPeer.class, Service.HTTP),
            Cell.covered("Apache HttpClient 5 classic", ApacheClassicClient.class, Service.HTTP),
            Cell.covered("Apache HttpClient 5 async", ApacheAsyncClient.class, Service.HTTP),
            Cell.covered("Jetty HttpClient", JettyClientPeer.class, Service.HTTP),
            Cell.covered("Netty NIO", NettyClient.class, Service.HTTP),
            Cell.covered("Vert.x WebClient", VertxWebClientPeer.class, Service.HTTP),
            Cell.covered("AsynchronousSocketChannel Futures", AsyncChannelClient.class, Service.HTTP),
            Cell.covered("AsynchronousSocketChannel handlers", AsyncChannelClient.class, Service.HTTP,
                    "-D" + AsyncChannelClient.HANDLERS + "=true"),
            // The remedy the "not covered" line gives for Reactor Netty: Netty's NIO transport.
            Cell.covered("Reactor Netty noNative", ReactorNettyClient.class, Service.HTTP,
                    "-Dio.netty.transport.noNative=true"),
            Cell.covered("Netty epoll", NettyClient.class, Service.HTTP, "-D" + NettyClient.EPOLL + "=true"),
            // Its dependencies as an application gets them: netty-transport-native-epoll, no io_uring.
            Cell.covered("Reactor Netty default", ReactorNettyClient.class, Service.HTTP)
                    .withoutJar(IO_URING_JAR),
            Cell.covered("gRPC grpc-netty-shaded default", GrpcClient.class, Service.GRPC,
                    "-D" + GrpcClient.DEFAULT + "=true"));

    /** Today's truth for the stacks the agent does not handle: flip each to {@link #COVERED} when it does. */
    static final List<Cell> NOT_COVERED_YET = List.of(
            // An application that adds netty-transport-native-io_uring: Reactor Netty 1.3 prefers it to epoll.
            Cell.notCoveredYet("Reactor Netty with io_uring", ReactorNettyClient.class, Service.HTTP,
                    "Netty io_uring client connects", false));

    /**
     * Stacks whose application asked for TFO itself, which the agent leaves exactly as asked: Netty
     * epoll with its own TCP_FASTOPEN_CONNECT sends only what was buffered before connect in the SYN,
     * so a request written after connect (the usual pattern, these cells') goes after a plain SYN.
     */
    static final List<Cell> LEFT_AS_ASKED = List.of(
            Cell.covered("Netty epoll, the application's own TCP_FASTOPEN_CONNECT", NettyClient.class, Service.HTTP,
                    "-D" + NettyClient.EPOLL + "=true", "-D" + NettyClient.OWN_FAST_OPEN + "=true"));

    /**
     * The stacks whose request to the refused port (of a host whose TFO cookie the client holds)
     * ends in another exception class than without the agent: the RST answers a SYN that carried
     * the request, so the failure surfaces at the write or read, not at connect(), and the stack
     * wraps it otherwise (Apache classic: ConnectException, not its HttpHostConnectException; Netty,
     * NIO or epoll: not its AnnotatedConnectException; the JDK's HttpClient over TLS: an SSLHandshakeException caused
     * by the ConnectException; Jetty reads it as the end of the stream). Issue 8's "one late failure":
     * still connect-like (Jetty: an EOF). A stack leaves this set when the agent makes the class the
     * same; a stack outside it must already end exactly as without the agent.
     */
    static final List<String> REFUSED_ENDS_OTHERWISE = List.of("Apache HttpClient 5 classic", "Jetty HttpClient",
            "Netty NIO", "Netty epoll", "JDK HttpClient h2 over TLS");

    @TempDir
    static Path nginxDir;
    private static DelayLine line;
    private static Nginx nginx;
    private static JvmProcess grpc;
    /** The server's end of the delay line, where every service listens. */
    private static String host;

    @BeforeAll
    static void delayLineAndServers() {
        line = DelayLine.start(client.toString(), server.toString(), Duration.ofMillis(RTT_MILLIS));
        host = line.b().ipv4();
        nginx = Nginx.start(server, nginxDir, List.of(host), HTTP_PORT, HTTPS_PORT, 256, true);
        grpc = ServerKind.GRPC.start(Jdks.all().findFirst().orElseThrow(), server, Agent.withDefaults(), host,
                GRPC_PORT);
    }

    @AfterAll
    static void stopServers() {
        try (DelayLine l = line; Nginx n = nginx; JvmProcess g = grpc) {
            // closes each that started, before TwoHostsTest removes the namespaces
        }
    }

    static Stream<Arguments> covered() {
        return Jdks.crossedWith(only(COVERED).toArray());
    }

    static Stream<Arguments> notCoveredYet() {
        return Jdks.crossedWith(only(NOT_COVERED_YET).toArray());
    }

    static Stream<Arguments> leftAsAsked() {
        return Jdks.crossedWith(only(LEFT_AS_ASKED).toArray());
    }

    /** {@code cells}, or those whose name contains one of {@code -Dit.matrix.cells=epoll,OkHttp} (CI runs all). */
    private static List<Cell> only(List<Cell> cells) {
        String only = System.getProperty("it.matrix.cells", "").trim();
        return only.isEmpty() ? cells : cells.stream()
                .filter(c -> Stream.of(only.split(",")).anyMatch(n -> c.name().contains(n.trim()))).toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("covered")
    void clientGetsTfo(Jdk jdk, Cell cell) {
        Observed o = observe(jdk, cell);

        assertAll(o.commonChecks(cell),
                () -> assertTrue(o.activeGets() >= REQUESTS - 1, () -> "GETs not in the SYN\n" + o),
                () -> assertTrue(cell.service().safeOpening ? o.activePosts() >= REQUESTS - 1
                        : o.activePosts() == 0, () -> (cell.service().safeOpening
                                ? "ClientHellos or HTTP/2 prefaces before POSTs not in the SYN" : "a POST rode in a SYN")
                                + "\n" + o),
                () -> assertTrue(o.passivePosts() >= REQUESTS - 1, () -> "POSTs did not open on the cookie\n" + o),
                () -> assertTrue(!o.agentLines().contains("not covered: ") || o.agentLines().contains("not covered: 0"),
                        () -> "a covered stack was called not covered\n" + o),
                () -> assertTrue(cell.service() != Service.HTTPS || o.protocols().equals(List.of("HTTP/2.0")),
                        () -> "not every request over h2: " + o.protocols() + "\n" + o));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("notCoveredYet")
    void notCoveredYetSaysSoAndChangesNothing(Jdk jdk, Cell cell) {
        Observed o = observe(jdk, cell);
        String lineStart = "tfo-agent: not covered: " + cell.notCovered() + " (";
        long lines = o.agentLines().lines().filter(l -> l.startsWith(lineStart)).count();
        // Every request of the run, the refused one too, connected through the path.
        int connects = 1 + 2 * REQUESTS + 1;
        long counted = o.notCoveredCount(cell.notCovered());

        assertAll(o.commonChecks(cell),
                () -> assertEquals(0, o.activeGets() + o.activePosts(), () -> "SYN data on a path not covered\n" + o),
                () -> assertEquals(1, lines, () -> "not one line '" + lineStart + "...'\n" + o),
                () -> assertTrue(cell.exactCount() ? counted == connects : counted >= connects, () -> "counted "
                        + counted + ", connects " + connects + "\n" + o));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("leftAsAsked")
    void theApplicationsOwnFastOpenIsLeftAsItAsked(Jdk jdk, Cell cell) {
        Observed o = observe(jdk, cell);

        assertAll(o.commonChecks(cell),
                () -> assertEquals(0, o.activeGets() + o.activePosts(),
                        () -> "requests written after connect rode in a SYN the application did not ask for\n" + o),
                () -> assertTrue(o.agentLines().contains("Netty's own TCP_FASTOPEN_CONNECT is set on "),
                        () -> "the application's own option not said\n" + o),
                () -> assertTrue(!o.agentLines().contains("not covered: ") || o.agentLines().contains("not covered: 0"),
                        () -> "the application's choice was called not covered\n" + o));
    }

    /** Runs a cell with the agent and without it, and collects what the kernels, nginx and the runs saw. */
    private static Observed observe(Jdk jdk, Cell cell) {
        int port = cell.service().port;
        List<String> agent = new ArrayList<>(Agent.with(ClientPeerJvm.CLIENT_OPTIONS));
        agent.addAll(cell.properties());
        FaultHosts.forgetCookies(client);
        LongSupplier active = () -> client.tcpExt().get(TcpExtCounters.ACTIVE);
        LongSupplier passive = () -> server.tcpExt().get(TcpExtCounters.PASSIVE);
        int logged = nginx.requests().size();
        Observed o = new Observed();
        String certificate = cell.service().tls ? nginx.certificate().toString() : null;
        try (FaultRun run = FaultRun.start(jdk, cell.client(), cell.name(), client, agent, certificate,
                cell.classpath())) {
            o.warmUp = run.request(host, port);
            long a0 = active.getAsLong();
            o.gets = run.requests("GET", host, port, REQUESTS);
            long a1 = active.getAsLong();
            long p1 = passive.getAsLong();
            o.posts = run.requests("POST", host, port, REQUESTS);
            o.activeGets = a1 - a0;
            o.activePosts = active.getAsLong() - a1;
            o.passivePosts = passive.getAsLong() - p1;
            o.refused = run.request(host, REFUSED_PORT);
            run.finish();
            o.stderr = run.stderr();
        }
        o.protocols = cell.service() == Service.GRPC ? List.of() : nginx.awaitRequestsAfter(logged, 1 + 2 * REQUESTS)
                .stream().map(Nginx.Request::protocol).distinct().toList();
        List<String> withoutAgent = new ArrayList<>(cell.properties());
        FaultHosts.forgetCookies(client);
        try (FaultRun run = FaultRun.start(jdk, cell.client(), cell.name(), client, withoutAgent,
                certificate, cell.classpath())) {
            o.warmUpWithout = run.request(host, port);
            o.refusedWithout = run.request(host, REFUSED_PORT);
            run.finish();
        }
        System.out.println("ClientMatrixIT " + jdk + " " + cell + ": " + o.toString().lines().findFirst().orElse(""));
        return o;
    }

    /** What one cell's two runs showed. */
    private static final class Observed {
        Outcome warmUp;
        List<Outcome> gets;
        List<Outcome> posts;
        Outcome refused;
        Outcome warmUpWithout;
        Outcome refusedWithout;
        long activeGets;
        long activePosts;
        long passivePosts;
        List<String> protocols;
        String stderr;

        long activeGets() {
            return activeGets;
        }

        long activePosts() {
            return activePosts;
        }

        long passivePosts() {
            return passivePosts;
        }

        List<String> protocols() {
            return protocols;
        }

        String agentLines() {
            return String.join("\n", stderr.lines().filter(l -> l.startsWith("tfo-agent")).toList());
        }

        /** The count of {@code path} in the exit line's "not covered: N (path M, ...)", 0 if absent. */
        long notCoveredCount(String path) {
            String exit = stderr.lines().filter(l -> l.matches("tfo-agent: not covered: \\d+.*")).findFirst()
                    .orElse("");
            Matcher m = Pattern.compile("(?:\\(|, )" + Pattern.quote(path) + " (\\d+)").matcher(exit);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        /** Every request answered 200, and the refused one ended as without the agent. */
        org.junit.jupiter.api.function.Executable commonChecks(Cell cell) {
            return () -> {
                List<Outcome> all = new ArrayList<>(List.of(warmUp));
                all.addAll(gets);
                all.addAll(posts);
                assertAll(
                        () -> assertEquals(Collections.nCopies(1 + 2 * REQUESTS, "200"),
                                all.stream().map(Outcome::kind).toList(), this::toString),
                        () -> assertEquals("200", warmUpWithout.kind(), this::toString),
                        () -> assertTrue(!refused.ok(), this::toString),
                        () -> {
                            if (REFUSED_ENDS_OTHERWISE.contains(cell.name())) {
                                // Connect-like, or the end of the stream (Jetty's EOFException; over TLS,
                                // SSLEngine's "Remote host terminated the handshake" when HttpClient's reader
                                // meets the failed connection before its writer's ConnectException is seen).
                                assertTrue(!refusedWithout.kind().equals(refused.kind()) && (refused.connectLike()
                                        || refused.exception().contains("EOFException")
                                        || refused.exception().contains("Remote host terminated the handshake")),
                                        () -> "the refused"
                                        + " destination: not the known late failure (flip the cell?)\n" + this);
                            } else {
                                assertEquals(refusedWithout.kind(), refused.kind(),
                                        () -> "the refused destination ended otherwise than without the agent\n" + this);
                            }
                        });
            };
        }

        @Override
        public String toString() {
            return "client TCPFastOpenActive: GETs " + activeGets + ", POSTs " + activePosts
                    + "; server TCPFastOpenPassive: POSTs " + passivePosts + "; protocols " + protocols
                    + "\nwarm-up " + warmUp + "\nGETs " + gets + "\nPOSTs " + posts + "\nrefused with the agent: "
                    + refused + "\nrefused without: " + refusedWithout + " (warm-up " + warmUpWithout + ")"
                    + "\n--- stderr with the agent (tail)\n" + StreamLines.tail(stderr, 30);
        }

    }
}
