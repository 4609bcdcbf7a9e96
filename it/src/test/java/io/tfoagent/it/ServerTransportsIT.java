package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.it.clients.GrpcClient;
import io.tfoagent.it.peers.NettyEpollHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listeners opened outside ServerSocketChannel/ServerSocket (DESIGN.md section 9): an
 * AsynchronousServerSocketChannel, Tomcat's NIO2 connector on it, Netty's native epoll and io_uring
 * transports, and a gRPC server on grpc-netty-shaded's shaded copy of Netty epoll; and the server
 * stacks that end on a ServerSocketChannel, each in its own way of binding and accepting (Tomcat's
 * NIO connector, Jetty, Undertow on XNIO, Netty NIO, Vert.x's default, gRPC on grpc-netty with
 * NIO). With the agent each accepts fresh connections by TFO; without it none does. The oracle is
 * the server namespace's TCPFastOpenPassive; the clients are curl --tcp-fastopen, or for gRPC a real
 * gRPC client given TFO by the agent's client side (no TFO-capable gRPC client exists outside the JVM here).
 */
class ServerTransportsIT extends TwoHostsTest {
    /** The first request from a fresh client namespace only fetches the cookie; the others use it. */
    private static final int REQUESTS = 10;
    private static final String OK = "200";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** The kinds whose accepted connections the agent sees (the JDK's accept), and so counts in its exit line. */
    private static final Set<ServerKind> AGENT_SEES_ACCEPTS = EnumSet.of(ServerKind.ASYNC_CHANNEL,
            ServerKind.TOMCAT_NIO2, ServerKind.TOMCAT_NIO, ServerKind.JETTY, ServerKind.UNDERTOW, ServerKind.NETTY_NIO,
            ServerKind.VERTX_NIO, ServerKind.GRPC_NETTY_NIO);
    /** A fresh port per server: no test sees connections left over from another. */
    private static final AtomicInteger PORTS = new AtomicInteger(19080);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#transportsOnEachJdk")
    void agentMakesListenerAcceptFastOpen(Jdk jdk, ServerKind kind) {
        Observed observed = serve(jdk, kind, Agent.withDefaults());

        assertAll(() -> assertAllOk(observed),
                () -> assertTrue(observed.passive() >= REQUESTS - 1, observed::toString),
                () -> assertTrue(!AGENT_SEES_ACCEPTS.contains(kind)
                        || observed.agentLog().contains(REQUESTS + " accepted on them"), observed::toString));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#transportsOnEachJdk")
    void withoutAgentNoConnectionIsAcceptedByFastOpen(Jdk jdk, ServerKind kind) {
        Observed observed = serve(jdk, kind, Agent.NONE);

        assertAll(() -> assertAllOk(observed), () -> assertEquals(0, observed.passive(), observed::toString));
    }

    static Stream<Arguments> nettyNativeOnEachJdk() {
        return Jdks.crossedWith(ServerKind.NETTY_EPOLL, ServerKind.NETTY_IO_URING);
    }

    /** Netty's own TCP_FASTOPEN option (EpollChannelOption's): the application's qlen stands, and TFO works with it. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nettyNativeOnEachJdk")
    void nettyListenerWithItsOwnFastOpenKeepsIt(Jdk jdk, ServerKind kind) {
        List<String> jvm = new ArrayList<>(Agent.withDefaults());
        jvm.add("-D" + NettyEpollHttpServer.OWN_FAST_OPEN + "=7");
        Observed observed = serve(jdk, kind, jvm);

        assertAll(() -> assertAllOk(observed),
                () -> assertTrue(observed.passive() >= REQUESTS - 1, observed::toString),
                () -> assertEquals("QLEN 7", observed.qlen(), observed::toString),
                () -> assertTrue(observed.agentLog().contains("has TFO from the application (qlen 7): left as it is"),
                        observed::toString));
    }

    /** Starts the server, sends {@link #REQUESTS} requests on fresh connections, and collects what the kernel saw. */
    private static Observed serve(Jdk jdk, ServerKind kind, List<String> agent) {
        String host = link.peerIpv4();
        int port = PORTS.getAndIncrement();
        long passiveBefore = server.tcpExt().get(TcpExtCounters.PASSIVE);
        try (JvmProcess peer = kind.start(jdk, server, agent, host, port)) {
            List<String> statuses = kind.speaksGrpc() ? grpcCalls(jdk, host, port)
                    : IntStream.range(0, REQUESTS).mapToObj(i -> Curl.get(client, host, port)).toList();
            long passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - passiveBefore;
            String qlen = peer.stdout().lines().filter(line -> line.startsWith("QLEN ")).findFirst().orElse("");
            return new Observed(statuses, passive, qlen, peer.stop());
        }
    }

    /** {@link #REQUESTS} unary calls, each on a fresh channel, from a gRPC client JVM with the agent's client side. */
    private static List<String> grpcCalls(Jdk jdk, String host, int port) {
        try (JvmProcess calls = JvmProcess.start(jdk, client, ClientPeerJvm.withAgent(), GrpcClient.class,
                List.of(host, String.valueOf(port), String.valueOf(REQUESTS), "POST"))) {
            ClientKind.Finished finished = new ClientKind.Finished(calls.awaitExit(CLIENT_TIMEOUT), calls.stdout(),
                    calls.stderr());
            List<String> statuses = finished.statuses().stream().map(String::valueOf).toList();
            return finished.exitCode() == 0 ? statuses : List.of("exit " + finished.exitCode() + ": "
                    + finished.stdout() + finished.stderr());
        }
    }

    private static void assertAllOk(Observed observed) {
        assertEquals(Collections.nCopies(REQUESTS, OK), observed.statuses(), observed::toString);
    }

    /** What one server run showed: the clients' statuses, the kernel's passive TFO count, the QLEN line, its stderr. */
    private record Observed(List<String> statuses, long passive, String qlen, String agentLog) {}
}
