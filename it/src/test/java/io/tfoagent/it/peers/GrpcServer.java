package io.tfoagent.it.peers;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
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
        Server server = NettyServerBuilder.forAddress(address)
                .addService(ServerServiceDefinition.builder(GrpcEchoService.NAME)
                        .addMethod(GrpcEchoService.ECHO, ServerCalls.asyncUnaryCall(new Echo()))
                        .build())
                .build()
                .start();
        PeerRuntime.listening(((InetSocketAddress) server.getListenSockets().get(0)).getPort());
        server.awaitTermination();
    }

    /** Answers each request with its own bytes. */
    private static final class Echo implements ServerCalls.UnaryMethod<byte[], byte[]> {
        @Override
        public void invoke(byte[] request, StreamObserver<byte[]> response) {
            response.onNext(request);
            response.onCompleted();
        }
    }
}
