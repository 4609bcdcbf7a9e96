package io.tfoagent.it.peers;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;

/**
 * A gRPC server on grpc-netty-shaded's default transport: on Linux its shaded copy of Netty's
 * native epoll ({@code io.grpc.netty.shaded.io.netty.channel.epoll}), listening in JNI.
 */
public final class GrpcServer {
    private GrpcServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        // Without epoll grpc falls back to NIO (a ServerSocketChannel): not the transport under test.
        Epoll.ensureAvailability();
        GrpcEchoService.serve(NettyServerBuilder.forAddress(address));
    }
}
