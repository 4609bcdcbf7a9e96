package io.tfoagent.it.peers;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A {@link ServerSocket} server (NioSocketImpl underneath), one connection at a time. */
public final class BlockingHttpServer {
    private BlockingHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(address);
            PeerRuntime.listening(server.getLocalPort());
            while (true) {
                try (Socket connection = server.accept()) {
                    connection.setTcpNoDelay(true);
                    AcceptedConnections.report(connection);
                    HttpReply.exchange(connection.getInputStream(), connection.getOutputStream());
                }
            }
        }
    }
}
