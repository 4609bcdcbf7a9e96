package io.tfoagent.it;

import io.tfoagent.it.clients.ApacheClassicClient;
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
    APACHE_CLASSIC(ApacheClassicClient.class),
    JETTY(JettyClientPeer.class);

    static final String RESPONSE = "RESPONSE ";

    private final Class<?> mainClass;

    ClientKind(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /** The clients of the fault suite (issue 8): every API of the JDK's, and OkHttp, Jetty, Netty NIO. */
    static final List<ClientKind> FAULT_SUITE = List.of(SOCKET, BLOCKING_CHANNEL, SELECTOR_CHANNEL, URL_CONNECTION,
            JDK_HTTP_CLIENT, OKHTTP, JETTY, NETTY);

    /**
     * {@link #FAULT_SUITE}, or the kinds named in {@code -Dit.faults.kinds=SOCKET,OKHTTP} (to look at
     * a few while working on a fix; CI runs them all).
     */
    static List<ClientKind> faultSuite() {
        String only = System.getProperty("it.faults.kinds", "").trim();
        return only.isEmpty() ? FAULT_SUITE : Stream.of(only.split(",")).map(String::trim).map(ClientKind::valueOf).toList();
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

    /**
     * Whether the stack's calls block (java.net.Socket, a blocking channel): a connection of it
     * whose SYN data a middlebox resets is connected again without TFO and its request sent
     * again, so that fault costs it no request (ResetRecovery). A non-blocking stack's
     * selector waits on the failed attempt: it sees the one late failure.
     */
    boolean blocks() {
        return this == SOCKET || this == BLOCKING_CHANNEL || this == URL_CONNECTION || this == OKHTTP
                || this == APACHE_CLASSIC;
    }

    /** The client's main class, for a caller that runs it its own way (a stepped run of the fault suite). */
    Class<?> mainClass() {
        return mainClass;
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
        try (JvmProcess client = JvmProcess.start(jdk, ns, jvmOptions, mainClass, args)) {
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
