package io.tfoagent.it.peers;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import org.xnio.Options;

/**
 * Undertow's core server on XNIO's NIO provider (a ServerSocketChannel it accepts on from its own
 * I/O threads), answering 200 "ok" and closing. Undertow and XNIO log through JBoss Logging, which
 * without a backend of its own would print their start-up banners on stderr through
 * java.util.logging; it is pointed at SLF4J, whose NOP binding is on the class path.
 */
public final class UndertowServer {
    private UndertowServer() {}

    public static void main(String[] args) {
        InetSocketAddress address = PeerRuntime.begin(args);
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Undertow server = Undertow.builder()
                .addHttpListener(address.getPort(), address.getHostString())
                .setSocketOption(Options.TCP_NODELAY, true)
                .setHandler(UndertowServer::ok)
                .build();
        server.start();
        PeerRuntime.listening(((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    /** 200 "ok", and the connection closed after it. */
    private static void ok(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 2);
        exchange.getResponseSender().send("ok");
    }
}
