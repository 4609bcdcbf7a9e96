package io.tfoagent.it;

import io.tfoagent.it.clients.ApacheClassicClient;
import io.tfoagent.it.clients.AsyncChannelClient;
import io.tfoagent.it.clients.BlockingChannelClient;
import io.tfoagent.it.clients.JdkHttpClientClient;
import io.tfoagent.it.clients.JettyClientPeer;
import io.tfoagent.it.clients.NettyClient;
import io.tfoagent.it.clients.OkHttpClientPeer;
import io.tfoagent.it.clients.RawSocketClient;
import io.tfoagent.it.clients.SelectorChannelClient;
import io.tfoagent.it.clients.UrlConnectionClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The client APIs the agent must reach, each as a peer app in {@code io.tfoagent.it.clients}: the
 * JDK's own (java.net.Socket, blocking and selector-driven SocketChannel, HttpURLConnection,
 * java.net.http.HttpClient) and libraries nobody here wrote (OkHttp, Netty, Apache HttpClient 5, Jetty's
 * HttpClient 12).
 * Each opens a fresh connection per request and prints {@code RESPONSE <status>} for it.
 */
enum ClientKind {
    SOCKET(RawSocketClient.class),
    BLOCKING_CHANNEL(BlockingChannelClient.class),
    SELECTOR_CHANNEL(SelectorChannelClient.class),
    URL_CONNECTION(UrlConnectionClient.class),
    JDK_HTTP_CLIENT(JdkHttpClientClient.class),
    OKHTTP(OkHttpClientPeer.class),
    NETTY(NettyClient.class),
    /**
     * Netty's native epoll transport: its connect and writes in Netty's JNI. Native access granted,
     * as an application of Netty's native transport does on JDK 22+ (else the JDK warns on stderr).
     */
    NETTY_EPOLL(NettyClient.class, "-D" + NettyClient.EPOLL + "=true", "--enable-native-access=ALL-UNNAMED"),
    APACHE_CLASSIC(ApacheClassicClient.class),
    JETTY(JettyClientPeer.class),
    /** NIO.2's AsynchronousSocketChannel with Futures, waited for on the application's thread. */
    ASYNC_FUTURES(AsyncChannelClient.class),
    /** NIO.2's AsynchronousSocketChannel with completion handlers, its reads finished on the group's threads. */
    ASYNC_HANDLERS(AsyncChannelClient.class, "-D" + AsyncChannelClient.HANDLERS + "=true");

    static final String RESPONSE = "RESPONSE ";

    private final Class<?> mainClass;
    /** The JVM options of its own: the system properties that pick the variant of its peer, and what that needs. */
    private final List<String> ownOptions;

    ClientKind(Class<?> mainClass, String... ownOptions) {
        this.mainClass = mainClass;
        this.ownOptions = List.of(ownOptions);
    }

    /**
     * The clients of the fault suite (issue 8): every API of the JDK's (NIO.2's asynchronous channel
     * too), and OkHttp, Jetty, Netty NIO and Netty's native epoll.
     */
    static final List<ClientKind> FAULT_SUITE = List.of(SOCKET, BLOCKING_CHANNEL, SELECTOR_CHANNEL, URL_CONNECTION,
            JDK_HTTP_CLIENT, OKHTTP, JETTY, NETTY, NETTY_EPOLL, ASYNC_HANDLERS);

    /**
     * {@link #FAULT_SUITE}, or the kinds named in {@code -Dit.faults.kinds=SOCKET,OKHTTP} (to look at
     * a few while working on a fix; CI runs them all).
     */
    static List<ClientKind> faultSuite() {
        return only(FAULT_SUITE);
    }

    /** {@code kinds}, or those of them named in {@code -Dit.faults.kinds}. */
    static List<ClientKind> only(List<ClientKind> kinds) {
        String only = System.getProperty("it.faults.kinds", "").trim();
        return only.isEmpty() ? kinds : Stream.of(only.split(",")).map(String::trim).map(ClientKind::valueOf)
                .filter(kinds::contains).toList();
    }

    /**
     * Whether the stack turns an IOException from a read into the end of the stream: Jetty's
     * {@code SocketChannelEndPoint.fill} does. With TFO a connect failure is learnt one write
     * late, at the read after it, so for such a stack the one late failure per outage reads as
     * an EOFException, not a ConnectException (README, "What a network fault costs").
     */
    boolean readsAFailedReadAsEndOfStream() {
        return this == JETTY;
    }

    /** The client's main class, for a caller that runs it its own way (a stepped run of the fault suite). */
    Class<?> mainClass() {
        return mainClass;
    }

    /** {@code jvmOptions} and this kind's own. */
    List<String> withOwnOptions(List<String> jvmOptions) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(ownOptions);
        return all;
    }

    /** Every kind on every JDK, for a {@code @MethodSource}. */
    static Stream<Arguments> onEachJdk() {
        return Jdks.crossedWith((Object[]) values());
    }

    /**
     * Runs {@code count} requests to {@code host:port} from {@code ns}, {@code methods} in turn
     * ({@code GET}, or {@code GET,POST} alternating), over HTTPS trusting {@code certificate} when
     * it is not null, and returns the client once it has exited (fails if it does not in time).
     */
    Finished run(Jdk jdk, NetNs ns, List<String> jvmOptions, String host, int port, int count, String methods,
            String certificate, Duration timeout) {
        List<String> args = new ArrayList<>(List.of(host, String.valueOf(port), String.valueOf(count), methods));
        if (certificate != null) {
            args.add(certificate);
        }
        try (JvmProcess client = JvmProcess.start(jdk, ns, withOwnOptions(jvmOptions), mainClass, args)) {
            int exitCode = client.awaitExit(timeout);
            return new Finished(exitCode, client.stdout(), client.stderr());
        }
    }

    /** A client run that has ended: its exit code and all it printed. */
    record Finished(int exitCode, String stdout, String stderr) {
        /** The status of each request, in order, from the {@code RESPONSE} lines. */
        List<Integer> statuses() {
            return stdout.lines().filter(line -> line.startsWith(RESPONSE))
                    .map(line -> Integer.parseInt(line.substring(RESPONSE.length()).trim())).toList();
        }

        /** The agent's own account (its exit line): shown beside the kernel's, never trusted alone. */
        String agentSummary() {
            return stderr.lines().filter(line -> line.startsWith("tfo-agent") && line.contains("client:"))
                    .findFirst().orElse("(no tfo-agent client line)");
        }
    }
}
