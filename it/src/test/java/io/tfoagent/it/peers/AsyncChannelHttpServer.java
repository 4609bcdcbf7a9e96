package io.tfoagent.it.peers;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channels;

/**
 * An {@link AsynchronousServerSocketChannel} server (sun.nio.ch.UnixAsynchronousServerSocketChannelImpl,
 * what Tomcat's NIO2 connector is built on): accepts one connection at a time and answers it.
 */
public final class AsyncChannelHttpServer {
    private AsyncChannelHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            server.bind(address);
            PeerRuntime.listening(((InetSocketAddress) server.getLocalAddress()).getPort());
            while (true) {
                try (AsynchronousSocketChannel connection = server.accept().get()) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    HttpReply.exchange(Channels.newInputStream(connection), Channels.newOutputStream(connection));
                }
            }
        }
    }
}
