package io.tfoagent.it.races;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.it.peers.HttpHeads;
import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.PeerLife;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.TcpInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server side of the race tests and their oracle: for every connection it prints the method
 * of the first request head it received beside what its own TCP_INFO says about how the
 * connection was opened, {@code ACCEPTED port=18701 method=POST syn_data=true tfo_child=true}.
 * Neither comes from the client or the agent: the method is the first bytes the server read, the
 * flags are the kernel's.
 *
 * <p>Two ports, a thread per connection (concurrent clients are neither queued nor dropped):
 * <ul>
 * <li>the <b>drain</b> port answers the first request head at once (200, Content-Length 2), then
 *     reads and discards whatever else comes (a second request on the same connection) until the
 *     client closes, and closes: never a reset, whatever the client sent;
 * <li>the <b>reset</b> port answers the first request head at once (200 for GET/HEAD, 413 for
 *     anything else, whose body it does not wait for), then closes with SO_LINGER 0, which sends a
 *     RST: a connection that did open, then broke.
 * </ul>
 * The listeners get TFO from the agent's server side, which the test loads into this JVM.
 *
 * <p>Arguments: {@code <address> <drainPort> <resetPort>}. Prints {@code LISTENING <drainPort>}.
 */
public final class FirstRequestServer {
    private static final byte[] OK =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LARGE = "HTTP/1.1 413 Content Too Large\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"
            .getBytes(StandardCharsets.US_ASCII);
    /** Longer than the whole test class: the test stops the server, this only bounds an orphan. */
    private static final Duration LIFETIME = Duration.ofMinutes(6);
    private static final int BACKLOG = 1024;
    /** How long a connection may stay silent before the server gives up on it. */
    private static final int IDLE_MILLIS = 10_000;

    private FirstRequestServer() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: FirstRequestServer <address> <drainPort> <resetPort>");
        }
        PeerLife.arm(LIFETIME);
        ExecutorService connections = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "connection");
            t.setDaemon(true);
            return t;
        });
        int drainPort = Integer.parseInt(args[1]);
        listen(new InetSocketAddress(args[0], drainPort), connections, false);
        listen(new InetSocketAddress(args[0], Integer.parseInt(args[2])), connections, true);
        System.out.println("LISTENING " + drainPort);
        Thread.currentThread().join(); // the listeners' threads serve; PeerLife ends the JVM
    }

    private static void listen(InetSocketAddress address, ExecutorService connections, boolean reset)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(address, BACKLOG);
        PeerLife.daemon("accept " + address, () -> {
            while (true) {
                SocketChannel connection;
                try {
                    connection = server.accept();
                } catch (IOException e) {
                    System.out.println("ACCEPT_FAILED " + e);
                    return;
                }
                connections.execute(() -> serve(connection, address.getPort(), reset));
            }
        });
    }

    private static void serve(SocketChannel connection, int port, boolean reset) {
        try (SocketChannel c = connection) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.socket().setSoTimeout(IDLE_MILLIS);
            TcpInfo info = LinuxSocket.tcpInfo(ClientSockets.fd(c));
            InputStream in = new BufferedInputStream(c.socket().getInputStream());
            OutputStream out = Channels.newOutputStream(c);
            String head = HttpHeads.read(in);
            String method = head == null ? "none" : head.substring(0, Math.max(0, head.indexOf(' ')));
            System.out.println("ACCEPTED port=" + port + " method=" + method + " syn_data=" + info.synData()
                    + " tfo_child=" + info.fastOpenChild());
            if (head == null) {
                return;
            }
            if (reset) {
                out.write(method.equals("GET") || method.equals("HEAD") ? OK : TOO_LARGE);
                c.setOption(StandardSocketOptions.SO_LINGER, 0); // close() now sends a RST
                return;
            }
            out.write(OK);
            byte[] discard = new byte[4096];
            while (in.read(discard) >= 0) {
                // a second request, or nothing: the client's close ends it
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            // A client that gave up or was reset is part of the tests, not a server error.
        }
    }

}
