package io.tfoagent.it.peers;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * A {@code com.sun.net.httpserver} server: its listener is the JDK's own, out of the app's reach,
 * so only the kernel's counters tell whether TFO reached it.
 */
public final class JdkHttpServer {
    private JdkHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        // Read once when the server classes load: replies must not wait behind Nagle.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(new byte[] {'o', 'k'});
            }
        });
        server.start();
        PeerRuntime.listening(server.getAddress().getPort());
    }
}
