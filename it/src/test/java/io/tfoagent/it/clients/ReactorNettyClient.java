package io.tfoagent.it.clients;

import io.netty.channel.ChannelOption;
import io.tfoagent.it.peers.AgentWarmUp;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's HttpClient (Spring WebClient's) with its defaults but for the pool: Netty's
 * native epoll transport when it is on the class path and available, NIO otherwise (or with
 * {@code -Dio.netty.transport.noNative=true}). A fresh connection per request.
 */
public final class ReactorNettyClient {
    private ReactorNettyClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ClientPeer.TIMEOUT_MILLIS)
                .responseTimeout(ClientPeer.TIMEOUT)
                .headers(h -> h.set("Connection", "close"));
        peer.run(method -> {
            Mono<Integer> status = (ClientPeer.hasBody(method)
                    ? client.post().send(ByteBufFlux.fromString(Mono.just(ClientPeer.BODY)))
                    : client.request(io.netty.handler.codec.http.HttpMethod.valueOf(method)))
                    .uri(peer.url())
                    .responseSingle((response, body) -> body.then(Mono.just(response.status().code())));
            return status.block(Duration.ofMillis(ClientPeer.TIMEOUT_MILLIS));
        });
    }
}
