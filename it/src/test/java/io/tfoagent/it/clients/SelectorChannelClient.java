package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A non-blocking {@link SocketChannel} driven by a {@link Selector}: OP_CONNECT while the connect is
 * pending, OP_WRITE until the request is out (from a direct buffer), OP_READ to the end.
 */
public final class SelectorChannelClient {
    private SelectorChannelClient() {}

    public static void main(String[] args) throws IOException {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        // A selector per request: a stepped run may send a burst of them at once, each from its own thread.
        peer.run(method -> {
            try (Selector selector = Selector.open()) {
                return exchange(selector, new InetSocketAddress(peer.host, peer.port), peer.rawRequest(method));
            }
        });
    }

    private static int exchange(Selector selector, InetSocketAddress address, byte[] bytes) throws IOException {
        ByteBuffer request = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            if (!channel.connect(address)) {
                key.interestOps(SelectionKey.OP_CONNECT);
                await(selector);
                channel.finishConnect();
            }
            key.interestOps(SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                await(selector);
                channel.write(request);
            }
            key.interestOps(SelectionKey.OP_READ);
            while (true) {
                await(selector);
                int n = channel.read(buffer);
                if (n == -1) {
                    break;
                }
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            key.cancel();
        }
        return ClientPeer.status(response.toByteArray());
    }

    private static void await(Selector selector) throws IOException {
        if (selector.select(ClientPeer.TIMEOUT_MILLIS) == 0) {
            throw new SocketTimeoutException("nothing ready within " + ClientPeer.TIMEOUT);
        }
        selector.selectedKeys().clear();
    }
}
