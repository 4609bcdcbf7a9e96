package io.tfoagent.it.peers;

import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12's own server, no servlets: a {@link ServerConnector} (a ServerSocketChannel it opens,
 * binds and accepts on itself) and a plain {@link Handler} answering 200 "ok".
 */
public final class JettyServer {
    private JettyServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Ok());
        server.start();
        PeerRuntime.listening(connector.getLocalPort());
        server.join();
    }

    /** 200 "ok", and the connection closed after it. */
    private static final class Ok extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 2);
            Content.Sink.write(response, true, "ok", callback);
            return true;
        }
    }
}
