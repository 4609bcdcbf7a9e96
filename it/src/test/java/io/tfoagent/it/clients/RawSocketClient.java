package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** {@link java.net.Socket} with a connect timeout, its output stream, and its input stream. */
public final class RawSocketClient {
    private RawSocketClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        peer.run(method -> {
            InetSocketAddress address = new InetSocketAddress(peer.host, peer.port);
            try (Socket socket = new Socket()) {
                socket.connect(address, 2000);
                socket.setSoTimeout(ClientPeer.TIMEOUT_MILLIS);
                OutputStream out = socket.getOutputStream();
                out.write(peer.rawRequest(method));
                out.flush();
                return ClientPeer.status(ClientPeer.readAll(socket.getInputStream()));
            }
        });
    }
}
