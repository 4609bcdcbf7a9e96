package io.tfoagent.it.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.tfoagent.shim.LinuxSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP server on one of Netty's transports, answering 200 to each request and closing: a native
 * one (socket, bind and listen in JNI, never through the JDK) or NIO (a JDK ServerSocketChannel).
 * With {@code -D}{@value #OWN_FAST_OPEN}{@code =N} it sets Netty's {@link ChannelOption#TCP_FASTOPEN}
 * to N, as an application that asks for TFO itself. On a native transport it prints the listener's
 * TFO queue length as the kernel has it: {@code QLEN n}.
 */
final class NettyHttpServer {
    static final String OWN_FAST_OPEN = "peer.tcpFastopen";

    private NettyHttpServer() {}

    static void serve(String[] args, IoHandlerFactory transport, Class<? extends ServerSocketChannel> channel)
            throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(channel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Ok());
                    }
                });
        Integer ownFastOpen = Integer.getInteger(OWN_FAST_OPEN);
        if (ownFastOpen != null) {
            bootstrap.option(ChannelOption.TCP_FASTOPEN, ownFastOpen);
        }
        ServerSocketChannel listener = (ServerSocketChannel) bootstrap.bind(address).sync().channel();
        if (listener instanceof UnixChannel unix) {
            System.out.println("QLEN " + LinuxSocket.fastOpenQueueLength(unix.fd().intValue()));
        }
        PeerRuntime.listening(listener.localAddress().getPort());
        listener.closeFuture().sync();
    }

    /** 200 "ok", then close: each request comes on a fresh connection. */
    private static final class Ok extends SimpleChannelInboundHandler<HttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
