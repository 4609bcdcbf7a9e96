package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.it.peers.HttpHeads;
import io.tfoagent.shim.LinuxSocket;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server side of the client-semantics tests: on every given address, an HTTP port (one
 * fixed reply per connection, then close) and a banner port (a server that speaks first:
 * {@code 220 hello\r\n} on accept, then waits for the client to close). A thread per connection
 * and a deep backlog, so that bursts of clients (virtual threads) are neither queued behind one
 * another nor dropped. The listeners get TFO from the agent's server side, which the test loads.
 *
 * <p>Prints {@code LISTENING <httpPort>} once every listener is bound, and for each HTTP request
 * {@code REQUEST <method> <path> syn_data=<bool>}: whether the request's connection carried data
 * in its SYN, read from the accepted socket's TCP_INFO.
 *
 * <p>Arguments: {@code <address>[,<address>...] <httpPort> <bannerPort>}.
 */
public final class SemanticsServer {
    static final byte[] BANNER = "220 hello\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    /** Longer than the whole test class: the test stops the server, this only bounds an orphan. */
    private static final Duration LIFETIME = Duration.ofMinutes(6);
    private static final int BACKLOG = 1024;
    /** How long a connection may stay silent before the server gives up on it. */
    private static final int IDLE_MILLIS = 10_000;

    private SemanticsServer() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: SemanticsServer <address>[,<address>...] <httpPort> <bannerPort>");
        }
        PeerLife.arm(LIFETIME);
        int httpPort = Integer.parseInt(args[1]);
        int bannerPort = Integer.parseInt(args[2]);
        ExecutorService connections = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "connection");
            t.setDaemon(true);
            return t;
        });
        List<ServerSocketChannel> listeners = new ArrayList<>();
        for (String address : args[0].split(",")) {
            listeners.add(listen(address, httpPort, connections, false));
            listeners.add(listen(address, bannerPort, connections, true));
        }
        System.out.println("LISTENING " + httpPort);
        Thread.currentThread().join(); // the listeners' threads serve; PeerLife ends the JVM
    }

    private static ServerSocketChannel listen(String address, int port, ExecutorService connections, boolean banner)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(address, port), BACKLOG);
        PeerLife.daemon("accept " + address + ":" + port, () -> {
            while (true) {
                SocketChannel connection;
                try {
                    connection = server.accept();
                } catch (IOException e) {
                    System.out.println("ACCEPT_FAILED " + e);
                    return;
                }
                connections.execute(() -> serve(connection, banner));
            }
        });
        return server;
    }

    private static void serve(SocketChannel connection, boolean banner) {
        try (SocketChannel c = connection) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.socket().setSoTimeout(IDLE_MILLIS);
            InputStream in = c.socket().getInputStream();
            OutputStream out = Channels.newOutputStream(c);
            if (banner) {
                out.write(BANNER);
                while (in.read() >= 0) {
                    // The client talks or closes when it likes; the banner is all this side says.
                }
            } else {
                boolean synData = LinuxSocket.tcpInfo(ClientSockets.fd(c)).synData();
                String head = HttpHeads.read(in);
                if (head == null) {
                    return;
                }
                String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
                String[] parts = requestLine.split(" ");
                System.out.println("REQUEST " + parts[0] + " " + (parts.length > 1 ? parts[1] : "-")
                        + " syn_data=" + synData);
                out.write(RESPONSE);
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            // A client that gave up (refused, timed out, probe) is part of the tests, not a server error.
        }
    }

}
