package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 async (its own I/O reactor over non-blocking SocketChannels), HTTP/1.1 with
 * {@code Connection: close}, so that every request opens a fresh connection.
 */
public final class ApacheAsyncClient {
    private ApacheAsyncClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        Timeout timeout = Timeout.ofMilliseconds(ClientPeer.TIMEOUT_MILLIS);
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .disableAutomaticRetries()
                .build()) {
            client.start();
            peer.run(method -> {
                SimpleRequestBuilder builder = SimpleRequestBuilder.create(method).setUri(new URI(peer.url()))
                        .setHeader("Connection", "close");
                if (ClientPeer.hasBody(method)) {
                    builder.setBody(ClientPeer.BODY, ContentType.TEXT_PLAIN);
                }
                SimpleHttpRequest request = builder.build();
                SimpleHttpResponse response = client.execute(request, null)
                        .get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                return response.getCode();
            });
        }
    }
}
