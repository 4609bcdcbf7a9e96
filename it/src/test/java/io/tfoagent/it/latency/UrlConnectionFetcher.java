package io.tfoagent.it.latency;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * {@link HttpURLConnection} (and {@link HttpsURLConnection} over TLS 1.3) with keep-alive off, so
 * that each request opens its own connection; socket options as the JDK sets them (no TCP_NODELAY).
 */
final class UrlConnectionFetcher implements Fetcher {
    private final SSLContext tls;

    UrlConnectionFetcher(SSLContext tls) {
        System.setProperty("http.keepAlive", "false");
        System.setProperty("https.protocols", "TLSv1.3");
        this.tls = tls;
    }

    @Override
    public Result fetch(URI uri, String method) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.getSocketFactory());
        }
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        connection.setRequestMethod(method);
        connection.setRequestProperty("Connection", "close");
        try {
            if (Fetcher.hasBody(method)) {
                byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes(); // a fixed-length body: ends at its last byte
            }
            return new Result(status, System.nanoTime());
        } finally {
            connection.disconnect();
        }
    }
}
