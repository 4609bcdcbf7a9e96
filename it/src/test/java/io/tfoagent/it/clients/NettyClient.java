package io.tfoagent.it.clients;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.tfoagent.it.peers.AgentWarmUp;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's NIO transport (its own event loop over non-blocking SocketChannels; pooled direct
 * buffers, gathering writes): a Bootstrap per request, the request encoded by its HTTP codec.
 * With {@code -D}{@value #EPOLL}{@code =true}, Netty's native epoll transport instead (its connect
 * and writes in Netty's JNI); with {@code -D}{@value #OWN_FAST_OPEN}{@code =true} as well, Netty's own
 * {@code TCP_FASTOPEN_CONNECT} option set, as an application that asks for TFO itself.
 */
public final class NettyClient {
    /** The system property that puts the client on Netty's native epoll transport. */
    public static final String EPOLL = "tfo.it.netty.epoll";
    /** The system property that sets Netty's own {@link ChannelOption#TCP_FASTOPEN_CONNECT} on every channel. */
    public static final String OWN_FAST_OPEN = "tfo.it.netty.ownFastOpenConnect";

    private NettyClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        boolean epoll = Boolean.getBoolean(EPOLL);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory()
                : NioIoHandler.newFactory());
        Class<? extends SocketChannel> channel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        try {
            peer.run(method -> exchange(group, channel, peer, method));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static int exchange(EventLoopGroup group, Class<? extends SocketChannel> channelType, ClientPeer peer,
            String method) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ClientPeer.TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                        status.complete(response.status().code());
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        status.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        status.completeExceptionally(new IllegalStateException("closed before a response"));
                                    }
                                });
                    }
                });
        if (Boolean.getBoolean(OWN_FAST_OPEN)) {
            bootstrap.option(ChannelOption.TCP_FASTOPEN_CONNECT, true); // an epoll option: NIO would warn of it
        }
        Channel channel = bootstrap.connect(peer.host, peer.port).sync().channel();
        try {
            boolean body = ClientPeer.hasBody(method);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/",
                    body ? Unpooled.copiedBuffer(ClientPeer.BODY, StandardCharsets.US_ASCII) : Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, peer.authority())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
            if (!body) {
                request.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            }
            channel.writeAndFlush(request).sync();
            int code = status.get(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            // The server closes after its response (Connection: close): read to that end, as the others do.
            channel.closeFuture().await(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return code;
        } finally {
            channel.close().sync();
        }
    }
}
