package io.tfoagent.it.bench;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Client connections the real agent follows, in the JVM it runs in: blocking channels to a TFO
 * listener of this JVM whose connects the kernel deferred (cookie cached), never written to,
 * so the agent keeps them in its table and the bridge's count of followed sockets is not 0.
 * The listener never accepts them: a deferred connect sends nothing.
 *
 * <p>Needs the agent with {@code allow=}{@value #ADDRESS} and server TFO on (it sets
 * TCP_FASTOPEN on the listener), {@code net.ipv4.tcp_fastopen=3}, and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. Every step is checked against the
 * kernel (TCP_INFO) and the bridge's own count, and fails loudly: a benchmark run on top of
 * this can never silently measure the path with nothing followed.
 *
 * <p>The agent's habits shape the order: it defers nothing before its warm-up thread ended;
 * the cookie is fetched by a real exchange (a connect that is closed unwritten would teach the
 * agent that the destination is only probed, and it would stop deferring); and no followed
 * connection is closed before {@link #close}.
 */
final class DeferredConnections implements AutoCloseable {
    /**
     * The followed destination: a loopback address of its own, so that {@code allow=} needs no
     * port known before the JVM starts, and every socket to 127.0.0.1 stays untouched.
     */
    static final String ADDRESS = "127.0.0.2";
    /** The agent's thread that weaves the JDK classes at start; connects before its end go without TFO. */
    private static final String WARM_UP_THREAD = "tfo-agent-warm-up";
    private static final long WARM_UP_TIMEOUT_MS = 60_000;
    private static final int EXCHANGE_TIMEOUT_MS = 10_000;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel listener;
    private final List<SocketChannel> followed = new ArrayList<>();

    private DeferredConnections(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /** Opens {@code count} deferred connections (0: the same listener and cookie exchange, nothing followed). */
    static DeferredConnections open(int count) throws Exception {
        LinuxSocket.loadNative();
        requireBridgeCount(0, "before anything was opened");
        awaitAgentWarmUp();
        ServerSocketChannel listener = ServerSocketChannel.open();
        DeferredConnections connections = new DeferredConnections(listener);
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0), 64);
            int qlen = LinuxSocket.fastOpenQueueLength(fdOf(listener));
            if (qlen <= 0) {
                throw new IllegalStateException("the agent did not set TCP_FASTOPEN on the listener (qlen " + qlen
                        + "): is it running with server=on?");
            }
            connections.fetchCookie();
            requireBridgeCount(0, "after the cookie exchange");
            for (int i = 0; i < count; i++) {
                connections.openDeferred(i);
            }
            requireBridgeCount(count, "after " + count + " deferred connects");
            return connections;
        } catch (Exception | Error e) {
            connections.close();
            throw e;
        }
    }

    /** Fails unless the agent follows exactly the sockets this object opened. */
    void requireFollowed() {
        requireBridgeCount(followed.size(), "with " + followed.size() + " deferred connections open");
    }

    /**
     * Waits for the agent's warm-up thread to end (bounded). Not finding it is fine: it may be
     * over already; a warm-up that is not is caught by the first connect not being deferred.
     */
    private static void awaitAgentWarmUp() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(WARM_UP_THREAD)) {
                t.join(WARM_UP_TIMEOUT_MS);
                if (t.isAlive()) {
                    throw new IllegalStateException("the agent's " + WARM_UP_THREAD + " thread still runs after "
                            + WARM_UP_TIMEOUT_MS + " ms");
                }
            }
        }
    }

    /**
     * One full exchange, so that the kernel caches the listener's cookie (the next connects
     * defer) and the agent learns that the client speaks first. Single-threaded: the
     * handshake and the request complete in the kernel before the accept.
     */
    private void fetchCookie() throws IOException {
        try (Socket client = new Socket()) {
            client.connect(listener.getLocalAddress(), EXCHANGE_TIMEOUT_MS);
            client.setSoTimeout(EXCHANGE_TIMEOUT_MS);
            client.getOutputStream().write(REQUEST);
            listener.socket().setSoTimeout(EXCHANGE_TIMEOUT_MS);
            try (Socket peer = listener.socket().accept()) {
                peer.setSoTimeout(EXCHANGE_TIMEOUT_MS);
                expect(peer.getInputStream(), REQUEST, "request");
                peer.getOutputStream().write(ANSWER);
                expect(client.getInputStream(), ANSWER, "answer");
            }
        }
    }

    private static void expect(InputStream in, byte[] expected, String what) throws IOException {
        byte[] got = in.readNBytes(expected.length); // each read bounded by SO_TIMEOUT
        if (!Arrays.equals(got, expected)) {
            throw new IllegalStateException("cookie exchange: unexpected " + what + " "
                    + new String(got, StandardCharsets.US_ASCII));
        }
    }

    private void openDeferred(int i) throws Exception {
        SocketChannel channel = SocketChannel.open();
        followed.add(channel); // closed by close() whatever happens next
        channel.connect(listener.getLocalAddress());
        int state = LinuxSocket.tcpInfo(ClientSockets.fd(channel)).state();
        if (state != TcpInfo.STATE_SYN_SENT) {
            throw new IllegalStateException("connect " + (i + 1) + " to " + listener.getLocalAddress()
                    + " was not deferred by the kernel (TCP state " + state + ", not SYN_SENT "
                    + TcpInfo.STATE_SYN_SENT + "): the agent would follow nothing. Needs net.ipv4.tcp_fastopen=3 and"
                    + " the agent with allow=" + ADDRESS + ",server=on; see the agent's log in this fork's output");
        }
    }

    /** A listener's fd number (ClientSockets has the client channels' and sockets'). */
    private static int fdOf(ServerSocketChannel listener) throws ReflectiveOperationException {
        Field fdVal = listener.getClass().getDeclaredField("fdVal");
        fdVal.setAccessible(true);
        return fdVal.getInt(listener);
    }

    private static void requireBridgeCount(int expected, String when) {
        int count = BridgeHandles.trackedSockets();
        if (count != expected) {
            throw new IllegalStateException("the agent follows " + count + " sockets " + when + ", expected "
                    + expected);
        }
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : followed) {
            c.close();
        }
        followed.clear();
        listener.close();
    }
}
