package io.tfoagent.it.races;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.tfoagent.it.peers.HttpHeads;
import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.ResultLine;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@link ConcurrentPostClient} on Netty's native epoll transport: several event loops open, write
 * and close connections at once ({@value #IN_FLIGHT} in flight), each a POST written as soon as
 * the channel is active, its response read by its length, then the channel closed. The agent's idle timer, whose
 * thread opens a deferred connection nobody wrote to, races the event loop's first write when
 * {@code idle-open-ms} is short. A POST that slips past the agent unclassified rides in the SYN,
 * and the server sees it.
 *
 * <p>Prints {@code RESULT concurrent-posts threads=.. connections=.. post=<tally> response=<tally>}.
 * Arguments: {@code <host> <port> <event loops> <connections>}. Exits 0 once all ran.
 */
public final class NettyConcurrentPostClient {
    private static final int IN_FLIGHT = 64;
    private static final long ALL_BOUND_SECONDS = 60;

    private NettyConcurrentPostClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofSeconds(90));
        int loops = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        Tally post = new Tally();
        Tally response = new Tally();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(connections);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        boolean finished;
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            for (int i = 0; i < connections; i++) {
                if (!inFlight.tryAcquire(ALL_BOUND_SECONDS, TimeUnit.SECONDS)) {
                    break;
                }
                byte[] request = ClientSockets.request("POST", "/post-" + i);
                Exchange exchange = new Exchange(request, post, response, () -> {
                    inFlight.release();
                    done.countDown();
                });
                ChannelFuture connect = bootstrap.clone().handler(exchange).connect(target);
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        post.thrown(f.cause());
                        exchange.end();
                    }
                });
            }
            finished = done.await(ALL_BOUND_SECONDS, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        new ResultLine("concurrent-posts").with("threads", loops).with("connections", connections)
                .with("finished", finished).with("post", post).with("response", response).print();
        System.exit(finished ? 0 : 1);
    }

    /** One connection: the POST once active, the response's status line at the server's close. */
    private static final class Exchange extends ChannelInboundHandlerAdapter {
        private final byte[] request;
        private final Tally post;
        private final Tally response;
        private final Runnable onEnd;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private boolean ended;

        Exchange(byte[] request, Tally post, Tally response, Runnable onEnd) {
            this.request = request;
            this.post = post;
            this.response = response;
            this.onEnd = onEnd;
        }

        @Override
        public boolean isSharable() {
            return false;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(f -> {
                if (f.isSuccess()) {
                    post.ok();
                } else {
                    post.thrown(f.cause());
                }
            });
        }

        /** The response is read by its Content-Length (the drain port waits for the client's close), then closed. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.readBytes(copy);
                received.writeBytes(copy);
            } finally {
                bytes.release();
            }
            String text = received.toString(StandardCharsets.US_ASCII);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0 && text.length() >= headEnd + 4 + HttpHeads.contentLength(text.substring(0, headEnd + 4))) {
                synchronized (this) {
                    if (!ended) {
                        response.add(text.substring(0, text.indexOf("\r\n")));
                    }
                }
                end();
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            synchronized (this) {
                if (!ended) {
                    response.thrown(cause);
                }
            }
            ctx.close();
            end();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (this) {
                if (!ended) {
                    response.add("closed before a whole response");
                }
            }
            end();
        }

        /** Once per connection, however it ended. */
        synchronized void end() {
            if (!ended) {
                ended = true;
                onEnd.run();
            }
        }
    }
}
