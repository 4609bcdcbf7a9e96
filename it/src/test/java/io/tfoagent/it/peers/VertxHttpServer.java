package io.tfoagent.it.peers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x HTTP server on its default transport, Netty NIO (a ServerSocketChannel); with
 * {@code -D}{@value #PREFER_NATIVE}{@code =true} it sets {@code preferNativeTransport}, which on
 * Linux puts Netty's native epoll under it. Either way it fails rather than run on the other one.
 */
public final class VertxHttpServer {
    /** The system property that makes it prefer Netty's native transport, as applications do. */
    public static final String PREFER_NATIVE = "peer.vertx.preferNativeTransport";

    private static final long START_SECONDS = 30;

    private VertxHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        boolean preferNative = Boolean.getBoolean(PREFER_NATIVE);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(preferNative));
        if (vertx.isNativeTransportEnabled() != preferNative) {
            // Vert.x falls back to NIO silently when no native transport loads: not the transport under test.
            throw new IllegalStateException("native transport " + vertx.isNativeTransportEnabled() + ", asked "
                    + preferNative, vertx.unavailableNativeTransportCause());
        }
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(address.getHostString())
                .setPort(address.getPort()).setTcpNoDelay(true));
        server.requestHandler(request -> request.response().putHeader("Connection", "close").end("ok"));
        server.listen().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        PeerRuntime.listening(server.actualPort());
    }
}
