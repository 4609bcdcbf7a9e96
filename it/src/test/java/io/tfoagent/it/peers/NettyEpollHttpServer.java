package io.tfoagent.it.peers;

import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/** {@link NettyHttpServer} on Netty's native epoll transport. */
public final class NettyEpollHttpServer {
    /** The system property that makes it set Netty's own TCP_FASTOPEN (see {@link NettyHttpServer}). */
    public static final String OWN_FAST_OPEN = NettyHttpServer.OWN_FAST_OPEN;

    private NettyEpollHttpServer() {}

    public static void main(String[] args) throws Exception {
        NettyHttpServer.serve(args, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
}
