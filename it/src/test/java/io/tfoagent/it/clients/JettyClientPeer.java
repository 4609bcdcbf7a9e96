package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's {@link HttpClient} 12 (non-blocking SocketChannels under its own selector manager, HTTP/1.1),
 * one client, {@code Connection: close} on every request so that each opens its own connection.
 */
public final class JettyClientPeer {
    private JettyClientPeer() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        HttpClient client = new HttpClient();
        client.setConnectTimeout(ClientPeer.TIMEOUT_MILLIS);
        client.setIdleTimeout(ClientPeer.TIMEOUT_MILLIS);
        client.start();
        peer.run(method -> {
            Request request = client.newRequest(peer.url()).method(method)
                    .headers(headers -> headers.put(HttpHeader.CONNECTION, "close"))
                    .timeout(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (ClientPeer.hasBody(method)) {
                request.body(new StringRequestContent("text/plain", ClientPeer.BODY));
            }
            ContentResponse response = request.send();
            return response.getStatus();
        });
    }
}
