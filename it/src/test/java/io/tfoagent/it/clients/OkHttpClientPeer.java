package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** OkHttp (java.net.Socket through okio), one client, {@code Connection: close} on every request. */
public final class OkHttpClientPeer {
    private OkHttpClientPeer() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .readTimeout(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                // A failed POST must show, not be sent again on a new connection.
                .retryOnConnectionFailure(false)
                .build();
        peer.run(method -> {
            Request request = new Request.Builder().url(peer.url()).header("Connection", "close")
                    .method(method, ClientPeer.hasBody(method)
                            ? RequestBody.create(ClientPeer.BODY, MediaType.get("text/plain"))
                            : null)
                    .build();
            try (Response response = client.newCall(request).execute()) {
                response.body().bytes();
                return response.code();
            }
        });
    }
}
