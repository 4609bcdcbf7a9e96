package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * NIO.2's AsynchronousSocketChannel (the JDK's own asynchronous client channel, its connect and
 * I/O completed by the JDK's thread pool), Future style: the whole request in one write, the
 * response read to the server's close.
 */
public final class AsyncChannelClient {
    private AsyncChannelClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        peer.run(method -> {
            try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
                channel.connect(new InetSocketAddress(peer.host, peer.port))
                        .get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                ByteBuffer request = ByteBuffer.wrap(peer.rawRequest(method));
                while (request.hasRemaining()) {
                    channel.write(request).get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                }
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                while (channel.read(buffer).get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) >= 0) {
                    response.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                return ClientPeer.status(response.toByteArray());
            }
        });
    }
}
