package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * NIO.2's AsynchronousSocketChannel (the JDK's own asynchronous client channel, its connect and
 * I/O completed by the JDK's thread pool): the whole request in one write, the response read to
 * the server's close. Future style by default; with {@code -D}{@value #HANDLERS}{@code =true},
 * completion handlers chained from the connect's on the group's threads (the connect's handler
 * writes at once, and may run before the JDK's connect call has returned).
 */
public final class AsyncChannelClient {
    public static final String HANDLERS = "tfo.it.async.handlers";

    private AsyncChannelClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        boolean handlers = Boolean.getBoolean(HANDLERS);
        peer.run(method -> {
            try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
                InetSocketAddress to = new InetSocketAddress(peer.host, peer.port);
                ByteBuffer request = ByteBuffer.wrap(peer.rawRequest(method));
                return handlers ? new Exchange(channel, request).run(to) : withFutures(channel, to, request);
            }
        });
    }

    private static int withFutures(AsynchronousSocketChannel channel, InetSocketAddress to, ByteBuffer request)
            throws Exception {
        channel.connect(to).get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
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

    /** One exchange as completion handlers: connect, then write all, then read to the end; any failure ends it. */
    private static final class Exchange {
        private final AsynchronousSocketChannel channel;
        private final ByteBuffer request;
        private final ByteBuffer buffer = ByteBuffer.allocate(4096);
        private final ByteArrayOutputStream response = new ByteArrayOutputStream();
        private final CompletableFuture<Integer> status = new CompletableFuture<>();

        Exchange(AsynchronousSocketChannel channel, ByteBuffer request) {
            this.channel = channel;
            this.request = request;
        }

        int run(InetSocketAddress to) throws Exception {
            channel.connect(to, null, new Step<Void>() {
                @Override
                public void completed(Void nothing, Object a) {
                    channel.write(request, null, written);
                }
            });
            return status.get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }

        private final Step<Integer> written = new Step<>() {
            @Override
            public void completed(Integer n, Object a) {
                if (request.hasRemaining()) {
                    channel.write(request, null, this);
                } else {
                    channel.read(buffer, null, read);
                }
            }
        };

        private final Step<Integer> read = new Step<>() {
            @Override
            public void completed(Integer n, Object a) {
                if (n < 0) {
                    try {
                        status.complete(ClientPeer.status(response.toByteArray()));
                    } catch (Exception e) {
                        status.completeExceptionally(e);
                    }
                    return;
                }
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                channel.read(buffer, null, this);
            }
        };

        /** A step whose failure is the exchange's. */
        private abstract class Step<V> implements CompletionHandler<V, Object> {
            @Override
            public void failed(Throwable e, Object a) {
                status.completeExceptionally(e);
            }
        }
    }
}
