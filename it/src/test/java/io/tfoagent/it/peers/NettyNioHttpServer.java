package io.tfoagent.it.peers;

import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** {@link NettyHttpServer} on Netty's NIO transport: a JDK ServerSocketChannel under Netty's own selector loop. */
public final class NettyNioHttpServer {
    private NettyNioHttpServer() {}

    public static void main(String[] args) throws Exception {
        NettyHttpServer.serve(args, NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
