package io.tfoagent.it.peers;

import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/** {@link NettyNativeHttpServer} on Netty's native epoll transport. */
public final class NettyEpollHttpServer {
    /** The system property that makes it set Netty's own TCP_FASTOPEN (see {@link NettyNativeHttpServer}). */
    public static final String OWN_FAST_OPEN = NettyNativeHttpServer.OWN_FAST_OPEN;

    private NettyEpollHttpServer() {}

    public static void main(String[] args) throws Exception {
        NettyNativeHttpServer.serve(args, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
}
