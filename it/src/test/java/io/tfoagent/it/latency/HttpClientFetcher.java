package io.tfoagent.it.latency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's {@link HttpClient} (non-blocking SocketChannels under its own selector thread),
 * HTTP/1.1, TLS 1.3. One client for the whole run, as an application keeps one: the server
 * answers with {@code Connection: close}, so its pool never keeps a connection and every request
 * opens a fresh one.
 */
final class HttpClientFetcher implements Fetcher {
    private final HttpClient client;

    HttpClientFetcher(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS));
        if (tls != null) {
            builder.sslContext(tls).sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}));
        }
        client = builder.build();
    }

    @Override
    public Result fetch(URI uri, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .method(method, Fetcher.hasBody(method) ? HttpRequest.BodyPublishers.ofString(BODY)
                        : HttpRequest.BodyPublishers.noBody())
                .build();
        int status = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        return new Result(status, System.nanoTime());
    }

    @Override
    public void close() {
        if (client instanceof AutoCloseable closeable) { // JDK 21+: ends its selector thread
            try {
                closeable.close();
            } catch (Exception e) {
                // the run is over either way
            }
        }
    }
}
