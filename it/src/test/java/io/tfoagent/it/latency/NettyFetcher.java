package io.tfoagent.it.latency;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's NIO transport (its own event loop, non-blocking SocketChannels, TCP_NODELAY by default,
 * pooled direct buffers): a Bootstrap per request, the request written as soon as the channel is
 * active; over TLS 1.3 its SslHandler on the JDK's SSLEngine. The response is complete when the
 * aggregator hands over the full response, on the event loop: that moment is the one recorded.
 */
final class NettyFetcher implements Fetcher {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SslContext tls;

    NettyFetcher(Path certificate) throws Exception {
        tls = certificate == null ? null : SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3").trustManager(certificate.toFile()).endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    @Override
    public Result fetch(URI uri, String method) throws Exception {
        String host = uri.getHost();
        int port = Fetcher.port(uri);
        CompletableFuture<Result> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (uri.getScheme().equals("https")) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc(), host, port));
                        }
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                        result.complete(new Result(response.status().code(), System.nanoTime()));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        result.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        result.completeExceptionally(new IllegalStateException("closed before a response"));
                                    }
                                });
                    }
                });
        boolean body = Fetcher.hasBody(method);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/",
                body ? Unpooled.copiedBuffer(BODY, StandardCharsets.US_ASCII) : Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, Fetcher.authority(uri))
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (body) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        }
        Channel channel = bootstrap.connect(host, port).sync().channel();
        try {
            channel.writeAndFlush(request);
            return result.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            channel.close().sync();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
