package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's WebClient with its defaults (Netty NIO under Vert.x's event loop), keep-alive off so
 * that every request opens a fresh connection.
 */
public final class VertxWebClientPeer {
    private VertxWebClientPeer() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        Vertx vertx = Vertx.vertx();
        WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false)
                .setConnectTimeout(ClientPeer.TIMEOUT_MILLIS));
        peer.run(method -> {
            HttpRequest<Buffer> request = client.request(HttpMethod.valueOf(method), peer.port, peer.host, "/")
                    .timeout(ClientPeer.TIMEOUT_MILLIS);
            return (ClientPeer.hasBody(method) ? request.sendBuffer(Buffer.buffer(ClientPeer.BODY)) : request.send())
                    .toCompletionStage().toCompletableFuture()
                    .get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).statusCode();
        });
    }
}
