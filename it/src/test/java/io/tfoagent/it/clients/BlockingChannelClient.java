package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A blocking {@link SocketChannel}: connect, write a heap buffer, read to the end. */
public final class BlockingChannelClient {
    private BlockingChannelClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        peer.run(method -> {
            InetSocketAddress address = new InetSocketAddress(peer.host, peer.port);
            try (SocketChannel channel = SocketChannel.open(address)) {
                ByteBuffer request = ByteBuffer.wrap(peer.rawRequest(method));
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                // A blocking channel has no read timeout of its own; the peer's lifetime bounds a hang.
                return ClientPeer.status(readAll(channel));
            }
        });
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (channel.read(buffer) != -1) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }
}
