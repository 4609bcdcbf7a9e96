package io.tfoagent.it.peers;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A {@link ServerSocketChannel} server, blocking accept loop, one connection at a time. */
public final class NioHttpServer {
    private NioHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(address);
            PeerRuntime.listening(((InetSocketAddress) server.getLocalAddress()).getPort());
            while (true) {
                try (SocketChannel connection = server.accept()) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    AcceptedConnections.report(connection);
                    HttpReply.exchange(Channels.newInputStream(connection), Channels.newOutputStream(connection));
                }
            }
        }
    }
}
