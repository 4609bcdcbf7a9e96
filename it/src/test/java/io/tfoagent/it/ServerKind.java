package io.tfoagent.it;

import io.tfoagent.it.peers.AsyncChannelHttpServer;
import io.tfoagent.it.peers.BlockingHttpServer;
import io.tfoagent.it.peers.GrpcServer;
import io.tfoagent.it.peers.JdkHttpServer;
import io.tfoagent.it.peers.NettyEpollHttpServer;
import io.tfoagent.it.peers.NettyIoUringHttpServer;
import io.tfoagent.it.peers.NioHttpServer;
import io.tfoagent.it.peers.TomcatNio2Server;
import io.tfoagent.it.peers.VertxNativeHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The server APIs the agent must reach, each as a peer app in {@code io.tfoagent.it.peers}: the
 * JDK's classic listeners, and the transports beyond them (DESIGN.md section 9).
 */
enum ServerKind {
    NIO(NioHttpServer.class, true),
    BLOCKING(BlockingHttpServer.class, true),
    JDK_HTTP(JdkHttpServer.class, false),
    ASYNC_CHANNEL(AsyncChannelHttpServer.class, false),
    TOMCAT_NIO2(TomcatNio2Server.class, false),
    NETTY_EPOLL(NettyEpollHttpServer.class, false),
    NETTY_IO_URING(NettyIoUringHttpServer.class, false),
    VERTX_NATIVE(VertxNativeHttpServer.class, false),
    /** Speaks gRPC, not HTTP/1.1: its client is a gRPC client, not curl. */
    GRPC(GrpcServer.class, false);

    /** ServerSocketChannel, ServerSocket and what the JDK builds on them. */
    private static final EnumSet<ServerKind> CLASSIC = EnumSet.of(NIO, BLOCKING, JDK_HTTP);

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

    ServerKind(Class<?> mainClass, boolean reportsAccepts) {
        this.mainClass = mainClass;
        this.reportsAccepts = reportsAccepts;
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

    /** Starts the server in {@code ns} on {@code host:port} and returns once it listens. */
    JvmProcess start(Jdk jdk, NetNs ns, List<String> agentOptions, String host, int port) {
        return start(jdk, ns, agentOptions, host, port, Map.of());
    }

    /** As {@link #start(Jdk, NetNs, List, String, int)}, with {@code environment} added to the server's. */
    JvmProcess start(Jdk jdk, NetNs ns, List<String> agentOptions, String host, int port,
            Map<String, String> environment) {
        List<String> jvmOptions = new ArrayList<>(agentOptions);
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
