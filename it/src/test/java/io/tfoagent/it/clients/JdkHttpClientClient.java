package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's {@link HttpClient} (non-blocking SocketChannels under its own selector), HTTP/1.1, over
 * TLS 1.3 when given a certificate; HTTP/2 with {@code -D}{@value #HTTP2}{@code =true} (h2 by ALPN
 * over TLS). A new client per request: each request a fresh connection, which the JDK client's pool
 * would otherwise keep.
 */
public final class JdkHttpClientClient {
    /** The system property that makes the client ask for HTTP/2. */
    public static final String HTTP2 = "tfo.it.http2";

    private JdkHttpClientClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        SSLContext tls = peer.https() ? peer.tls13() : null;
        peer.run(method -> {
            URI uri = new URI(peer.url());
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(Boolean.getBoolean(HTTP2) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .connectTimeout(ClientPeer.TIMEOUT);
            if (tls != null) {
                builder.sslContext(tls).sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}));
            }
            HttpClient client = builder.build();
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(ClientPeer.TIMEOUT)
                        .method(method, ClientPeer.hasBody(method)
                                ? HttpRequest.BodyPublishers.ofString(ClientPeer.BODY)
                                : HttpRequest.BodyPublishers.noBody())
                        .build();
                return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            } finally {
                // JDK 21+ clients close (and end their selector thread); a JDK 17 one is left to the GC.
                if (client instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        });
    }
}
