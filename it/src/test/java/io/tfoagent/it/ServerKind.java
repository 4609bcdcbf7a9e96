package io.tfoagent.it;

import io.tfoagent.it.peers.AsyncChannelHttpServer;
import io.tfoagent.it.peers.BlockingHttpServer;
import io.tfoagent.it.peers.GrpcNettyNioServer;
import io.tfoagent.it.peers.GrpcServer;
import io.tfoagent.it.peers.JdkHttpServer;
import io.tfoagent.it.peers.JettyServer;
import io.tfoagent.it.peers.NettyEpollHttpServer;
import io.tfoagent.it.peers.NettyIoUringHttpServer;
import io.tfoagent.it.peers.NettyNioHttpServer;
import io.tfoagent.it.peers.NioHttpServer;
import io.tfoagent.it.peers.TomcatServer;
import io.tfoagent.it.peers.UndertowServer;
import io.tfoagent.it.peers.VertxHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The server APIs the agent must reach, each as a peer app in {@code io.tfoagent.it.peers}: the
 * JDK's classic listeners, the transports beyond them (DESIGN.md section 9), and the server stacks
 * applications run on either. A kind may start its peer with system properties: one peer serves
 * the kinds whose stack is the same but for the transport it is told to use.
 */
enum ServerKind {
    NIO(NioHttpServer.class, true),
    BLOCKING(BlockingHttpServer.class, true),
    JDK_HTTP(JdkHttpServer.class, false),
    ASYNC_CHANNEL(AsyncChannelHttpServer.class, false),
    TOMCAT_NIO2(TomcatServer.class, false, TomcatServer.PROTOCOL + "=org.apache.coyote.http11.Http11Nio2Protocol"),
    /** Tomcat's default connector. */
    TOMCAT_NIO(TomcatServer.class, false),
    JETTY(JettyServer.class, false),
    UNDERTOW(UndertowServer.class, false),
    NETTY_NIO(NettyNioHttpServer.class, false),
    NETTY_EPOLL(NettyEpollHttpServer.class, false),
    NETTY_IO_URING(NettyIoUringHttpServer.class, false),
    /** Vert.x's default transport. */
    VERTX_NIO(VertxHttpServer.class, false),
    VERTX_NATIVE(VertxHttpServer.class, false, VertxHttpServer.PREFER_NATIVE + "=true"),
    /** Speaks gRPC, not HTTP/1.1: its client is a gRPC client, not curl. */
    GRPC(GrpcServer.class, false),
    /** As {@link #GRPC}, on plain grpc-netty with Netty NIO. */
    GRPC_NETTY_NIO(GrpcNettyNioServer.class, false);

    /** ServerSocketChannel, ServerSocket and what the JDK builds on them. */
    private static final EnumSet<ServerKind> CLASSIC = EnumSet.of(NIO, BLOCKING, JDK_HTTP);

    /** The kinds that speak gRPC, not HTTP/1.1. */
    private static final EnumSet<ServerKind> GRPC_KINDS = EnumSet.of(GRPC, GRPC_NETTY_NIO);

    /** Where a peer prints one line per accepted connection: the fields of its TCP_INFO. */
    static final String ACCEPTED = "ACCEPTED ";

    /**
     * The peers that report accepted connections reach the fd inside JDK classes and read TCP_INFO
     * through JNA; they are given what that needs, so that it adds nothing to stderr.
     */
    private static final List<String> ACCEPT_REPORT_OPTIONS = List.of(
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Class<?> mainClass;
    private final boolean reportsAccepts;
    /** {@code name=value} each: what tells a shared peer which stack it is for this kind. */
    private final List<String> properties;

    ServerKind(Class<?> mainClass, boolean reportsAccepts, String... properties) {
        this.mainClass = mainClass;
        this.reportsAccepts = reportsAccepts;
        this.properties = List.of(properties);
    }

    /** Every classic kind on every JDK, for a {@code @MethodSource}. */
    static Stream<Arguments> onEachJdk() {
        return Jdks.crossedWith(CLASSIC.toArray());
    }

    /** Every other transport on every JDK, for a {@code @MethodSource}. */
    static Stream<Arguments> transportsOnEachJdk() {
        return Jdks.crossedWith(EnumSet.complementOf(CLASSIC).toArray());
    }

    /** What a peer that reads TCP_INFO of accepted sockets needs, for peers started outside this enum. */
    static List<String> acceptReportOptions() {
        return ACCEPT_REPORT_OPTIONS;
    }

    boolean reportsAccepts() {
        return reportsAccepts;
    }

    /** Whether its clients must be gRPC clients (curl cannot speak to it). */
    boolean speaksGrpc() {
        return GRPC_KINDS.contains(this);
    }

    /** Starts the server in {@code ns} on {@code host:port} and returns once it listens. */
    JvmProcess start(Jdk jdk, NetNs ns, List<String> agentOptions, String host, int port) {
        return start(jdk, ns, agentOptions, host, port, Map.of());
    }

    /** As {@link #start(Jdk, NetNs, List, String, int)}, with {@code environment} added to the server's. */
    JvmProcess start(Jdk jdk, NetNs ns, List<String> agentOptions, String host, int port,
            Map<String, String> environment) {
        List<String> jvmOptions = new ArrayList<>(agentOptions);
        properties.forEach(property -> jvmOptions.add("-D" + property));
        if (reportsAccepts) {
            jvmOptions.addAll(ACCEPT_REPORT_OPTIONS);
        }
        JvmProcess server = JvmProcess.start(jdk, ns, jvmOptions, SuiteProperties.childClasspath(),
                mainClass.getName(), List.of(host, String.valueOf(port)), environment);
        try {
            server.awaitLine("LISTENING ", START_TIMEOUT);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }
}
