package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** {@link HttpURLConnection} with keep-alive off, so that each request opens its own connection. */
public final class UrlConnectionClient {
    private UrlConnectionClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        System.setProperty("http.keepAlive", "false");
        ClientPeer peer = ClientPeer.begin(args);
        peer.run(method -> {
            URL url = new URI(peer.url()).toURL();
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setConnectTimeout(ClientPeer.TIMEOUT_MILLIS);
            connection.setReadTimeout(ClientPeer.TIMEOUT_MILLIS);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Connection", "close");
            if (ClientPeer.hasBody(method)) {
                byte[] body = ClientPeer.BODY.getBytes(StandardCharsets.US_ASCII);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            try {
                int status = connection.getResponseCode();
                try (InputStream in = connection.getInputStream()) {
                    ClientPeer.readAll(in);
                }
                return status;
            } finally {
                connection.disconnect();
            }
        });
    }
}
