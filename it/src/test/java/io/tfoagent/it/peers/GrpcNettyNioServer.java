package io.tfoagent.it.peers;

import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;

/**
 * A gRPC server on plain grpc-netty (unshaded: the application's own Netty) with Netty's NIO
 * transport chosen, a JDK ServerSocketChannel. grpc-netty would pick epoll where it loads, so the
 * channel type is set, and with it the event loops it runs on (grpc-netty asks for both together).
 */
public final class GrpcNettyNioServer {
    private GrpcNettyNioServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        GrpcEchoService.serve(NettyServerBuilder.forAddress(address).channelType(NioServerSocketChannel.class)
                .bossEventLoopGroup(group).workerEventLoopGroup(group));
    }
}
