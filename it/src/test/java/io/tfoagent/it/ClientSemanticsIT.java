package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfoagent.it.semantics.ChurnClient;
import io.tfoagent.it.semantics.ConnectFailureClient;
import io.tfoagent.it.semantics.GetClient;
import io.tfoagent.it.semantics.HealthProbeClient;
import io.tfoagent.it.semantics.SemanticsServer;
import io.tfoagent.it.semantics.ServerFirstClient;
import io.tfoagent.it.semantics.TransferToClient;
import io.tfoagent.it.semantics.TryNextAddressClient;
import io.tfoagent.it.semantics.VirtualThreadsClient;
import io.tfoagent.shim.TcpExtCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client path keeps what applications rely on (DESIGN.md §4, hazards 2, 3, 4, 6, 8, 9, 10):
 * real client JVMs with the agent ({@code allow=} the test ranges, {@code server=off}) talk to a
 * TFO server JVM ({@link SemanticsServer}, agent with defaults) inside namespaces of the test's
 * own. Every client connects with a TFO cookie already cached in the client namespace (fetched
 * by curl, a TFO client nobody here wrote), so its first connect() to a destination is deferred
 * by the kernel (later ones may not be: the agent learns each destination's habit); the clients
 * check that from the socket's TCP_INFO ({@code deferred=true}), so a pass is never a run in
 * which the hazard did not arise.
 *
 * <p>How each case can fail: {@link #withoutTheAgentsHandlingTheSameClientFails} runs the same
 * client peers with no agent but TCP_FASTOPEN_CONNECT set by the peer itself (TFO with none of
 * the agent's handling) and asserts that they then fail the very checks the agent's runs pass.
 * Oracles: the peers' own observations (banner, status, exception class, elapsed time), the
 * client namespace's TcpExt counters, the server's view of requests, the client JVM's heap and
 * fd table; the agent's counters only as a cross-check.
 */
class ClientSemanticsIT {
    private static final int SUBNET = 0;
    private static final int HTTP_PORT = 18601;
    /** A server-speaks-first service on a port the agent does not know as such: it defers. */
    private static final int BANNER_PORT = 18602;
    /** Nothing listens here: the server namespace answers with a RST. */
    private static final int CLOSED_PORT = 18609;
    /** Churn probes go to ports from here on (nothing listens on them). */
    private static final int PROBE_BASE_PORT = 20000;
    /** Addresses the server has at start and loses one by one: hosts that die once the cookie is cached. */
    private static final int FIRST_DEAD_HOST = 10;
    private static final int DEAD_HOSTS = 24;
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(30);
    /** Backstop for a client JVM; every wait inside the clients is bounded far below it. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(10);
    /** The agent's per-connection state, looked for in the client's heap once every socket is closed. */
    private static final String CONNECTION_STATE_CLASS = "io.tfoagent.core.client.TfoConnection";
    /** The agent's exit line for the client side; {@link Counters} names its numbers in this order. */
    private static final Pattern CLIENT_COUNTERS = Pattern.compile("tfo-agent: client: (\\d+) connects to allowed"
            + " destinations \\(skipped: (\\d+) not allowed, (\\d+) denied, (\\d+) server speaks first, (\\d+)"
            + " connect-then-close[^)]*\\); cookie (\\d+) hit, (\\d+) miss; first write in the SYN (\\d+)"
            + " \\(acked (\\d+)[^)]*\\), not replay-safe (\\d+), too large for a timed connect \\d+, read first (\\d+),"
            + " opened idle (\\d+), closed unwritten"
            + " (\\d+); SYN data reset, reconnected \\d+; failed to connect (\\d+), errors (\\d+)");

    @TempDir
    static Path dir;

    private static NetNs client;
    private static NetNs server;
    private static NetNs.Link link;
    private static JvmProcess serverPeer;
    private static final AtomicInteger NEXT_DEAD_HOST = new AtomicInteger(FIRST_DEAD_HOST);

    @BeforeAll
    static void start() {
        NetNs.assumeRoot();
        client = NetNs.create();
        server = NetNs.create();
        link = client.link(server, SUBNET);
        List<String> addresses = new ArrayList<>(List.of(link.peerIpv4(), link.peerIpv6()));
        for (int i = FIRST_DEAD_HOST; i < FIRST_DEAD_HOST + DEAD_HOSTS; i++) {
            String host = deadHostAddress(i);
            server.run("ip", "addr", "add", host + "/24", "dev", NetNs.peerDevice(SUBNET));
            addresses.add(host);
        }
        Jdk serverJdk = Jdks.all().findFirst().orElseThrow();
        serverPeer = JvmProcess.start(serverJdk, server, ClientPeerJvm.withAccess(Agent.withDefaults()), SemanticsServer.class,
                List.of(String.join(",", addresses), String.valueOf(HTTP_PORT), String.valueOf(BANNER_PORT)));
        serverPeer.awaitLine("LISTENING ", SERVER_START_TIMEOUT);
        // The client namespace's cookies for the live server, from curl: every client below starts deferred.
        assertEquals("200", Curl.get(client, link.peerIpv4(), HTTP_PORT));
        assertEquals("200", Curl.get(client, link.peerIpv6(), HTTP_PORT));
    }

    @AfterAll
    static void stop() {
        try (NetNs c = client; NetNs s = server; JvmProcess p = serverPeer) {
            // closes all three, skipping a null one
        }
    }

    // ---- 1, 2: a server that speaks first (hazard 2)

    /** {@code java.net.Socket} (read with SO_TIMEOUT) and a blocking SocketChannel (read under a watchdog). */
    static Stream<Arguments> blockingApis() {
        return Jdks.crossedWith("socket", "channel");
    }

    /**
     * Connect, then read the banner without writing, five times to each of an IPv4 and an IPv6
     * destination. The first connection to each is deferred (the peer checks): without the
     * agent's read-first handling the kernel waits for a first write that never comes, and the
     * read times out (see the control). The agent also learns from it that the destination
     * speaks first and defers no later connection to it; every connection must get the banner.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("blockingApis")
    void serverThatSpeaksFirstIsHeardOnBlockingSockets(Jdk jdk, String api) {
        int perHost = 5;
        List<String> hosts = List.of(link.peerIpv4(), link.peerIpv6());
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), ServerFirstClient.class, String.join(",", hosts),
                String.valueOf(BANNER_PORT), String.valueOf(perHost), "5000", api);

        List<Map<String, String>> results = run.results();
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(hosts.size() * perHost, results.size(), run::toString),
                () -> assertAllResults(results, "banner", "220_hello", run),
                () -> hosts.forEach(host -> assertEquals("true",
                        run.result(api + "-" + host + "-1").get("deferred"), run::toString)),
                () -> assertTrue(run.counters().readFirst() >= hosts.size(), run::toString),
                () -> assertAgentClean(run));
    }

    /**
     * A non-blocking SocketChannel registered for OP_READ only, never written to: the selector
     * must report the banner within a bounded time. The first connection is deferred; the agent
     * opens it after {@code idle-open-ms} (5 ms by default); without that the selector never
     * fires (see the control).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void serverThatSpeaksFirstIsHeardOnNonBlockingChannelWaitingForRead(Jdk jdk) {
        int count = 5;
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), ServerFirstClient.class, link.peerIpv4(), String.valueOf(BANNER_PORT),
                String.valueOf(count), "5000", "nonblocking");

        List<Map<String, String>> results = run.results();
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(count, results.size(), run::toString),
                () -> assertAllResults(results, "banner", "220_hello", run),
                () -> assertEquals("true", results.get(0).get("deferred"), run::toString),
                () -> assertTrue(run.counters().openedIdle() >= 1, run::toString),
                () -> assertAgentClean(run));
    }

    static Stream<Arguments> readOnlyEventDrivenClients() {
        return Jdks.crossedWith("async", "epoll");
    }

    /**
     * A client that connects and reads, never writes, five times, on an AsynchronousSocketChannel
     * ({@code async}) or Netty's native epoll transport ({@code epoll}, its handler reading only):
     * every read must complete with the banner within the bound. The first connection is deferred;
     * its read opens it (or the idle timer, 5 ms after connect, when it is first; on epoll always the
     * timer, since epoll reports nothing readable before the SYN). What is checked: every banner came
     * (from the server, the outside proof) and the agent opened at least one deferred connection.
     * Not checked here: that without the agent's read-first handling no banner would come (no naive
     * control for these two APIs).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("readOnlyEventDrivenClients")
    void serverThatSpeaksFirstIsHeardOnAnEventDrivenClient(Jdk jdk, String api) {
        int count = 5;
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), ServerFirstClient.class, link.peerIpv4(),
                String.valueOf(BANNER_PORT), String.valueOf(count), "5000", api);

        List<Map<String, String>> results = run.results();
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(count, results.size(), run::toString),
                () -> assertAllResults(results, "banner", "220_hello", run),
                () -> assertTrue(run.counters().readFirst() + run.counters().openedIdle() >= 1, run::toString),
                () -> assertAgentClean(run));
    }

    // ---- 3, 4: connect failures that now surface after connect() (hazard 3)

    /** How the client connects and what it writes first: replay-safe bytes ride in the SYN, others get a bare SYN. */
    static Stream<Arguments> refusedAttempts() {
        return Jdks.crossedWith("socket-get", "socket-raw", "channel-get", "channel-raw");
    }

    /**
     * A closed port on a host with a cached cookie: connect() returns, the RST comes back to the
     * first write's SYN. {@code socket}: {@code Socket.connect(addr, 2000)}; {@code channel}: a
     * blocking {@code SocketChannel.connect(addr)}, no timeout; first bytes a GET ({@code get}) or
     * not replay-safe ({@code raw}); IPv4 and IPv6. Each must throw a
     * {@link java.net.ConnectException} (from connect, the first write or the first read), in
     * well under the bound. Without the agent's handling the same clients get a plain
     * SocketException or IOException "Connection refused" (see the control).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedAttempts")
    void refusedConnectionThrowsConnectException(Jdk jdk, String attempt) {
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), ConnectFailureClient.class, "refused", "2000", "3000",
                attempt + "@" + link.peerIpv4() + "@" + CLOSED_PORT,
                attempt + "@" + link.peerIpv6() + "@" + CLOSED_PORT);

        List<Map<String, String>> results = run.results();
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(2, results.size(), run::toString),
                () -> assertAllResults(results, "pass", "true", run),
                () -> assertAllResults(results, "deferred", "true", run),
                () -> assertAgentClean(run));
    }

    /** How the client connects with a timeout ({@code Socket.connect} or the channel's socket adaptor); GET or not. */
    static Stream<Arguments> deadHostAttempts() {
        return Jdks.crossedWith("socket-get", "socket-raw", "adaptor-get", "adaptor-raw");
    }

    /**
     * A host that died after its cookie was cached (its address removed from the server: what
     * comes for it is dropped without a word). {@code Socket.connect(addr, 1000)} or the channel
     * adaptor's {@code socket().connect(addr, 1000)}, then the first write and a read with no
     * SO_TIMEOUT: a {@link java.net.SocketTimeoutException} (or a ConnectException saying "timed
     * out") within the bound of 3 s, never the kernel's two-minute SYN retry. Without the agent's
     * handling the client hangs (see the control).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deadHostAttempts")
    void connectTimeoutIsHonouredAgainstDeadHost(Jdk jdk, String attempt) {
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), ConnectFailureClient.class, "timeout", "1000", "3000",
                attempt + "@" + deadHostWithCookie() + "@" + HTTP_PORT);

        List<Map<String, String>> results = run.results();
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(1, results.size(), run::toString),
                () -> assertAllResults(results, "pass", "true", run),
                () -> assertAllResults(results, "deferred", "true", run),
                () -> assertAgentClean(run));
    }

    // ---- 5: the truth about dead hosts still comes out (hazard 8)

    /**
     * A client that tries each address in turn, catching ConnectException and
     * SocketTimeoutException around connect, the first write and the read of the status line:
     * the first, dead address must fail there (the read after the write that rode in the SYN
     * throws connect()'s timeout at the connect deadline), in time for the loop to reach the live
     * one. Without the agent's handling the read waits out its own timeout on the dead host and
     * the live one is reached too late (see the control).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void tryNextAddressLoopReachesLiveHost(Jdk jdk) {
        String dead = deadHostWithCookie();
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), TryNextAddressClient.class, String.valueOf(HTTP_PORT), "1000", "4000",
                dead, link.peerIpv4());

        Map<String, String> deadAttempt = run.result("attempt-" + dead);
        Map<String, String> served = run.result("served");
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(link.peerIpv4(), served.get("host"), run::toString),
                () -> assertEquals("HTTP/1.1_200_OK", served.get("status"), run::toString),
                () -> assertEquals("true", deadAttempt.get("deferred"), run::toString),
                () -> assertNotEquals("none", deadAttempt.get("thrown"), run::toString),
                () -> assertTrue(Long.parseLong(deadAttempt.get("ms")) < 2000, run::toString),
                () -> assertAgentClean(run));
    }

    /**
     * Connect-then-close health probes against a host that died after its cookie was cached.
     * The first probe's connect is deferred and returns without asking the host: it reports "up"
     * (the limit of deferral, DESIGN.md hazard 8). The agent then stops deferring to that
     * destination, so the second and later probes must see the host down, within the connect
     * timeout. Without the agent's memory every probe says "up".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void healthProbeSeesDeadHostBySecondProbe(Jdk jdk) {
        String dead = deadHostWithCookie();
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), HealthProbeClient.class, dead, String.valueOf(HTTP_PORT), "1000", "3");

        Map<String, String> first = run.result("probe-1");
        Map<String, String> second = run.result("probe-2");
        Map<String, String> third = run.result("probe-3");
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                // What the first probe sees is reported, not required: "up" (deferred) is the known limit.
                () -> assertEquals("true", first.get("deferred"), run::toString),
                () -> assertEquals("false", second.get("up"), run::toString),
                () -> assertEquals("false", third.get("up"), run::toString),
                () -> assertTrue(Long.parseLong(second.get("ms")) < 3000, run::toString),
                () -> assertTrue(Long.parseLong(third.get("ms")) < 3000, run::toString),
                () -> assertEquals(1, run.counters().closedUnwritten(), run::toString),
                () -> assertEquals(2, run.counters().skippedConnectThenClose(), run::toString),
                () -> assertAgentClean(run));
    }

    // ---- 6: sendfile as the first write (hazard 9)

    /**
     * {@code FileChannel.transferTo} from a file holding a GET request is the first write of a
     * deferred blocking SocketChannel: the response must come back within the bound, and the
     * server must have seen the request.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void transferToAsFirstWriteReachesServer(Jdk jdk) {
        String path = "/transferTo-" + jdk;
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), TransferToClient.class, link.peerIpv4(), String.valueOf(HTTP_PORT), path,
                "5000");

        Map<String, String> result = run.result("transferTo");
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals("true", result.get("deferred"), run::toString),
                () -> assertEquals("HTTP/1.1_200_OK", result.get("status"), run::toString),
                () -> System.out.println("    server: "
                        + serverPeer.awaitLine("REQUEST GET " + path + " ", LINE_TIMEOUT)),
                () -> assertAgentClean(run));
    }

    // ---- 7: virtual threads (hazard 4)

    /**
     * 200 virtual threads, each a fresh GET on a {@code java.net.Socket}: all succeed, and the
     * client namespace's kernel counter of acknowledged SYN data grows by nearly as many.
     * Without the agent it does not grow at all: no JDK socket asks for TFO by itself.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void virtualThreadsGetFastOpen(Jdk jdk) {
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21 or later; " + jdk + " is " + jdk.feature());
        int threads = 200;
        long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
        Run run = runClient(jdk, ClientPeerJvm.withAgent(), VirtualThreadsClient.class, link.peerIpv4(), String.valueOf(HTTP_PORT),
                String.valueOf(threads), "5000", "20000");
        long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;
        System.out.println("    client namespace TCPFastOpenActive +" + active);

        Map<String, String> result = run.result("virtual-threads");
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(String.valueOf(threads), result.get("ok"), run::toString),
                () -> assertEquals(String.valueOf(threads), result.get("virtual"), run::toString),
                () -> assertTrue(active >= 190, "TCPFastOpenActive grew by " + active + "\n" + run),
                () -> assertAgentClean(run));
    }

    // ---- 8: other instrumentation and the old socket implementation (hazard 10)

    /**
     * A JFR recording with the profile settings (socket read/write events: on JDK 17 JFR
     * instruments SocketChannelImpl and the socket streams itself): GETs through Socket and
     * SocketChannel still work, each with its request in the SYN, and the recording is written.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void flightRecorderAndAgentWorkTogether(Jdk jdk) {
        int count = 10;
        Path recording = dir.resolve("semantics-" + jdk + ".jfr");
        List<String> jvm = new ArrayList<>(
                List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile"));
        jvm.addAll(ClientPeerJvm.withAgent());
        long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
        Run run = runClient(jdk, jvm, GetClient.class, link.peerIpv4(), String.valueOf(HTTP_PORT),
                String.valueOf(count), "socket", "channel");
        long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;
        System.out.println("    client namespace TCPFastOpenActive +" + active);

        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(String.valueOf(count), run.result("socket").get("ok"), run::toString),
                () -> assertEquals(String.valueOf(count), run.result("channel").get("ok"), run::toString),
                () -> assertTrue(Long.parseLong(run.result("socket").get("activeDelta")) >= count, run::toString),
                () -> assertTrue(Long.parseLong(run.result("channel").get("activeDelta")) >= count, run::toString),
                () -> assertTrue(active >= 2L * count, "TCPFastOpenActive grew by " + active + "\n" + run),
                () -> assertTrue(Files.size(recording) > 0, "no recording at " + recording),
                () -> assertAgentClean(run));
    }

    /**
     * JDK 17 with {@code -Djdk.net.usePlainSocketImpl=true}: java.net.Socket runs on the old
     * PlainSocketImpl, which the agent does not instrument. It must keep working, without TFO,
     * with one agent line that says so; SocketChannel keeps its TFO. JDK 18 and later no longer
     * have the old implementation.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void plainSocketImplWorksWithoutFastOpen(Jdk jdk) {
        assumeTrue(jdk.feature() < 18, "PlainSocketImpl is gone from JDK 18 on; " + jdk + " is " + jdk.feature());
        int count = 10;
        List<String> jvm = new ArrayList<>(List.of("-Djdk.net.usePlainSocketImpl=true"));
        jvm.addAll(ClientPeerJvm.withAgent());
        Run run = runClient(jdk, jvm, GetClient.class, link.peerIpv4(), String.valueOf(HTTP_PORT),
                String.valueOf(count), "socket", "channel");

        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals(String.valueOf(count), run.result("socket").get("ok"), run::toString),
                () -> assertEquals("0", run.result("socket").get("activeDelta"), run::toString),
                () -> assertEquals(String.valueOf(count), run.result("channel").get("ok"), run::toString),
                () -> assertTrue(Long.parseLong(run.result("channel").get("activeDelta")) >= count, run::toString),
                () -> assertEquals(1, run.stderr().lines()
                        .filter(l -> l.startsWith("tfo-agent: ") && l.contains("usePlainSocketImpl")).count(),
                        run::toString),
                () -> assertAgentClean(run));
    }

    // ---- 9: no leak (hazard 6)

    /**
     * 2000 fresh connections in one JVM, GETs (in the SYN), POSTs (bare SYN first) and
     * connect-then-close probes (deferred, closed unwritten) in turn: all succeed; afterwards the
     * heap holds no per-connection state of the agent (a class histogram after a full GC, taken
     * from outside with jcmd), the fd table has not grown, and the agent's counters add up to
     * exactly what the client did.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void manyConnectionsLeaveNoStateBehind(Jdk jdk) {
        int count = 2000;
        int warmUp = 8; // ChurnClient's warm-up round, same mix
        long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
        long liveConnections;
        Run run;
        try (JvmProcess peer = JvmProcess.start(jdk, client, ClientPeerJvm.withAgent(), ChurnClient.class,
                List.of(link.peerIpv4(), String.valueOf(HTTP_PORT), String.valueOf(PROBE_BASE_PORT),
                        String.valueOf(count)))) {
            peer.awaitLine("DONE", CLIENT_TIMEOUT);
            // Every socket is closed by now: any TfoConnection still reachable is state the agent kept.
            liveConnections = liveInstances(jdk, peer, CONNECTION_STATE_CLASS);
            // A zero means something only if the class is there: renamed, it would pass unseen.
            assertTrue(jcmd(jdk, peer, "VM.class_hierarchy").contains(CONNECTION_STATE_CLASS),
                    CONNECTION_STATE_CLASS + " not loaded in the client JVM");
            peer.closeStdin();
            int exit = peer.awaitExit(CLIENT_TIMEOUT);
            run = new Run(exit, peer.stdout(), peer.stderr()).print("ChurnClient on " + jdk);
        }
        long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;
        System.out.println("    client namespace TCPFastOpenActive +" + active + "; live TfoConnection "
                + liveConnections);

        Map<String, String> churn = run.result("churn");
        Counters counters = run.counters();
        int gets = count / 4 + warmUp / 4;
        int posts = count / 4 + warmUp / 4;
        int probes = count / 2 + warmUp / 2;
        assertAll(
                () -> assertEquals(0, run.exit(), run::toString),
                () -> assertEquals("0", churn.get("failures"), run::toString),
                () -> assertEquals(0, liveConnections, "TfoConnection instances alive after all closed\n" + run),
                () -> assertTrue(Long.parseLong(churn.get("fdsAfter")) - Long.parseLong(churn.get("fdsBefore")) <= 4,
                        run::toString),
                () -> assertEquals(gets + posts + probes, counters.cookieHit(), run::toString),
                () -> assertEquals(gets, counters.synData(), run::toString),
                () -> assertEquals(posts, counters.notReplaySafe(), run::toString),
                () -> assertEquals(probes, counters.closedUnwritten(), run::toString),
                () -> assertTrue(active >= gets, "TCPFastOpenActive grew by " + active + "\n" + run),
                () -> assertAgentClean(run));
    }

    // ---- Controls: the same clients with TFO but without the agent's handling

    /** What the agent's handling is checked against: each semantic, broken by TFO on its own. */
    enum Control {
        /** Read-first on blocking sockets: the banner never comes (the bound is 1 s here). */
        SERVER_FIRST_BLOCKING,
        /** OP_READ on an idle non-blocking channel: never readable. */
        SERVER_FIRST_NON_BLOCKING,
        /** Refused: no ConnectException, a plain SocketException or IOException. */
        REFUSED,
        /** Dead host, connect timeout 1 s: the write succeeds and the read hangs (JDK 25), or the write blocks (17). */
        DEAD_HOST,
        /** Try-next-address: the dead first address takes the request, or blocks it: the live one is never tried. */
        TRY_NEXT_ADDRESS,
        /** Health probes: every probe says "up". */
        HEALTH_PROBE,
        /** transferTo into a deferred socket: hangs on kernels before 6.5 only (sendfile never sends the SYN). */
        TRANSFER_TO,
        /** Virtual threads without the agent at all: no JDK socket asks for TFO, the kernel counter stays put. */
        VIRTUAL_THREADS
    }

    static Stream<Arguments> controls() {
        return Jdks.crossedWith((Object[]) Control.values());
    }

    /**
     * The peers with no agent, setting TCP_FASTOPEN_CONNECT themselves before connect: the kernel
     * defers their connects exactly as under the agent, and nothing handles it. Each must then
     * fail the check its agent run passes, which shows that check can fail.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("controls")
    void withoutTheAgentsHandlingTheSameClientFails(Jdk jdk, Control control) {
        List<String> naive = new ArrayList<>(List.of("-Dsemantics.naive=true"));
        naive.addAll(ClientPeerJvm.WITHOUT_AGENT);
        Run run;
        switch (control) {
            case SERVER_FIRST_BLOCKING:
                run = runClient(jdk, naive, ServerFirstClient.class, link.peerIpv4(), String.valueOf(BANNER_PORT), "1",
                        "1000", "socket", "channel");
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertAllResults(run.results(), "deferred", "true", run),
                        () -> assertAllResults(run.results(), "banner", "none", run));
                break;
            case SERVER_FIRST_NON_BLOCKING:
                run = runClient(jdk, naive, ServerFirstClient.class, link.peerIpv4(), String.valueOf(BANNER_PORT), "1",
                        "1000", "nonblocking");
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertAllResults(run.results(), "deferred", "true", run),
                        () -> assertAllResults(run.results(), "banner", "none", run));
                break;
            case REFUSED:
                run = runClient(jdk, naive, ConnectFailureClient.class, "refused", "2000", "1000",
                        "socket-get@" + link.peerIpv4() + "@" + CLOSED_PORT,
                        "channel-get@" + link.peerIpv4() + "@" + CLOSED_PORT);
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertAllResults(run.results(), "deferred", "true", run),
                        () -> assertAllResults(run.results(), "pass", "false", run));
                break;
            case DEAD_HOST:
                run = runClient(jdk, naive, ConnectFailureClient.class, "timeout", "1000", "2000",
                        "socket-get@" + deadHostWithCookie() + "@" + HTTP_PORT);
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertAllResults(run.results(), "deferred", "true", run),
                        () -> assertAllResults(run.results(), "hung", "true", run));
                break;
            case TRY_NEXT_ADDRESS:
                String dead = deadHostWithCookie();
                run = runClient(jdk, naive, TryNextAddressClient.class, String.valueOf(HTTP_PORT), "1000", "2000",
                        dead, link.peerIpv4());
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertEquals("true", run.result("attempt-" + dead).get("deferred"), run::toString),
                        // The dead host took the request (JDK 25) or the write blocked (JDK 17): never the live one.
                        () -> assertNotEquals(link.peerIpv4(), run.result("served").get("host"), run::toString));
                break;
            case HEALTH_PROBE:
                run = runClient(jdk, naive, HealthProbeClient.class, deadHostWithCookie(), String.valueOf(HTTP_PORT),
                        "1000", "2");
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertEquals("true", run.result("probe-2").get("up"), run::toString),
                        () -> assertEquals("true", run.result("probe-2").get("deferred"), run::toString));
                break;
            case TRANSFER_TO:
                // Since 6.5 sendfile goes through tcp_sendmsg, which sends a deferred SYN itself: there,
                // transferTo works without the agent (its request even rides in the SYN), and the agent's
                // case only guards that the agent's own handling does not break it.
                assumeTrue(kernelBefore(6, 5), "transferTo into a deferred socket works without the agent on Linux "
                        + System.getProperty("os.version") + " (6.5 and later)");
                run = runClient(jdk, naive, TransferToClient.class, link.peerIpv4(), String.valueOf(HTTP_PORT),
                        "/transferTo-naive-" + jdk, "1000");
                assertAll(
                        () -> assertEquals(1, run.exit(), run::toString),
                        () -> assertEquals("true", run.result("transferTo").get("hung"), run::toString));
                break;
            case VIRTUAL_THREADS:
                assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21 or later; " + jdk + " is "
                        + jdk.feature());
                long activeBefore = client.tcpExt().get(TcpExtCounters.ACTIVE);
                run = runClient(jdk, ClientPeerJvm.WITHOUT_AGENT, VirtualThreadsClient.class, link.peerIpv4(),
                        String.valueOf(HTTP_PORT), "200", "5000", "20000");
                long active = client.tcpExt().get(TcpExtCounters.ACTIVE) - activeBefore;
                assertAll(
                        () -> assertEquals(0, run.exit(), run::toString),
                        () -> assertEquals(0, active, "TCPFastOpenActive grew by " + active + "\n" + run));
                break;
            default:
                throw new IllegalArgumentException(control.toString());
        }
    }

    // ---- helpers


    /** Whether this machine's kernel (the one the namespaces share) is older than {@code major.minor}. */
    private static boolean kernelBefore(int major, int minor) {
        String[] version = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(version[0]);
        int mi = Integer.parseInt(version[1]);
        return ma < major || (ma == major && mi < minor);
    }

    private static String deadHostAddress(int i) {
        return "198.18." + SUBNET + "." + i;
    }

    /**
     * A server address that answers now, gives the client namespace a cookie (curl), and is then
     * removed from the server: a host that died after the cookie was cached. The server namespace
     * does not forward, so it drops whatever still comes for that address, without an answer.
     */
    private static String deadHostWithCookie() {
        int i = NEXT_DEAD_HOST.getAndIncrement();
        assertTrue(i < FIRST_DEAD_HOST + DEAD_HOSTS, "out of dead-host addresses: raise DEAD_HOSTS");
        String host = deadHostAddress(i);
        assertEquals("200", Curl.get(client, host, HTTP_PORT), "cookie for " + host);
        server.run("ip", "addr", "del", host + "/24", "dev", NetNs.peerDevice(SUBNET));
        return host;
    }

    private static Run runClient(Jdk jdk, List<String> jvmOptions, Class<?> main, String... args) {
        try (JvmProcess peer = JvmProcess.start(jdk, client, jvmOptions, main, Arrays.asList(args))) {
            int exit = peer.awaitExit(CLIENT_TIMEOUT);
            return new Run(exit, peer.stdout(), peer.stderr()).print(main.getSimpleName() + " on " + jdk);
        }
    }

    /** Live instances of {@code className} in the JVM, after the full GC that a class histogram does. */
    private static long liveInstances(Jdk jdk, JvmProcess peer, String className) {
        return jcmd(jdk, peer, "GC.class_histogram").lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 4 && f[3].equals(className))
                .mapToLong(f -> Long.parseLong(f[1])).sum();
    }

    /** A diagnostic command run on the client JVM, from inside its namespace, with its own JDK's jcmd. */
    private static String jcmd(Jdk jdk, JvmProcess peer, String command) {
        return client.run(jdk.home().resolve("bin").resolve("jcmd").toString(), String.valueOf(peer.pid()), command);
    }

    private static void assertAllResults(List<Map<String, String>> results, String key, String expected, Run run) {
        assertTrue(!results.isEmpty(), "no RESULT lines\n" + run);
        for (Map<String, String> result : results) {
            assertEquals(expected, result.get(key), key + " of " + result + "\n" + run);
        }
    }

    /** The agent said nothing about internal trouble, counted no error, and printed its exit line. */
    private static void assertAgentClean(Run run) {
        assertAll(
                () -> assertEquals(0, run.counters().errors(), run::toString),
                () -> assertEquals(List.of(), run.stderr().lines()
                        .filter(l -> l.contains("internal error") || l.contains("cannot instrument")
                                || l.contains("cannot re-weave") || !l.startsWith("tfo-agent: "))
                        .toList(), run::toString));
    }

    /** A finished client JVM. */
    private record Run(int exit, String stdout, String stderr) {
        List<Map<String, String>> results() {
            return stdout.lines().filter(l -> l.startsWith("RESULT ")).map(Run::fields).toList();
        }

        Map<String, String> result(String label) {
            return stdout.lines().filter(l -> l.startsWith("RESULT " + label + " ")).map(Run::fields).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT " + label + "\n" + this));
        }

        Counters counters() {
            Matcher m = CLIENT_COUNTERS.matcher(stderr);
            if (!m.find()) {
                throw new AssertionError("no client counters line from the agent\n" + this);
            }
            long[] values = IntStream.rangeClosed(1, m.groupCount()).mapToLong(i -> Long.parseLong(m.group(i)))
                    .toArray();
            return new Counters(values);
        }

        /** What the run saw, on the test's stdout: the observations behind a pass, for the record. */
        Run print(String what) {
            System.out.println("[ClientSemanticsIT] " + what + ": exit " + exit);
            Stream.concat(stdout.lines().filter(l -> l.startsWith("RESULT ") || l.startsWith("LIFETIME")),
                    stderr.lines().filter(l -> l.startsWith("tfo-agent: client:") || !l.startsWith("tfo-agent: ")))
                    .forEach(l -> System.out.println("    " + l));
            return this;
        }

        private static Map<String, String> fields(String line) {
            Map<String, String> fields = new LinkedHashMap<>();
            String[] parts = line.split(" ");
            fields.put("label", parts[1]);
            for (int i = 2; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            return fields;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** The agent's client counters from its exit line, in the line's order. */
    private record Counters(long[] values) {
        long skippedConnectThenClose() {
            return values[4];
        }

        long cookieHit() {
            return values[5];
        }

        long synData() {
            return values[7];
        }

        long notReplaySafe() {
            return values[9];
        }

        long readFirst() {
            return values[10];
        }

        long openedIdle() {
            return values[11];
        }

        long closedUnwritten() {
            return values[12];
        }

        long failedToConnect() {
            return values[13];
        }

        long errors() {
            return values[14];
        }
    }
}
