package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import java.net.URI;

/** Apache HttpClient 5 classic (blocking java.net.Socket from its own socket factory), {@code Connection: close}. */
public final class ApacheClassicClient {
    private ApacheClassicClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        Timeout timeout = Timeout.ofMilliseconds(ClientPeer.TIMEOUT_MILLIS);
        try (CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .disableAutomaticRetries()
                .build()) {
            peer.run(method -> {
                URI uri = new URI(peer.url());
                HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
                request.setHeader("Connection", "close");
                if (ClientPeer.hasBody(method)) {
                    request.setEntity(new StringEntity(ClientPeer.BODY, ContentType.TEXT_PLAIN));
                }
                return client.execute(request, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
            });
        }
    }
}
