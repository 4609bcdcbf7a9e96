package io.tfoagent.it.peers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A Vert.x HTTP server with {@code preferNativeTransport}: on Linux, Netty's native transport under it. */
public final class VertxNativeHttpServer {
    private static final long START_SECONDS = 30;

    private VertxNativeHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            // Vert.x falls back to NIO (a ServerSocketChannel) silently: not the transport under test.
            throw new IllegalStateException("no native transport", vertx.unavailableNativeTransportCause());
        }
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(address.getHostString())
                .setPort(address.getPort()).setTcpNoDelay(true));
        server.requestHandler(request -> request.response().putHeader("Connection", "close").end("ok"));
        server.listen().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        PeerRuntime.listening(server.actualPort());
    }
}
