package io.tfoagent.it.peers;

import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/** {@link NettyHttpServer} on Netty's io_uring transport (accepts submitted through the ring). */
public final class NettyIoUringHttpServer {
    private NettyIoUringHttpServer() {}

    public static void main(String[] args) throws Exception {
        IoUring.ensureAvailability(); // never a silent fallback: io_uring is what this peer is for
        NettyHttpServer.serve(args, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
    }
}
