package io.tfoagent.it.clients;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCalls;
import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.it.peers.GrpcEchoService;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC client (grpc-netty-shaded), one unary call per fresh channel. It runs on Netty's NIO
 * transport, over JDK sockets, so that the agent's client side can give its connections TFO: the
 * gRPC server's listener can then be seen accepting them by TFO. With {@code -D}{@value #DEFAULT}
 * {@code =true} it runs on grpc-netty-shaded's own choice instead, its shaded Netty epoll on Linux.
 * The method argument is ignored (every gRPC call is an HTTP/2 POST); a call whose echo comes back
 * whole counts as status 200.
 */
public final class GrpcClient {
    /** The system property that leaves the transport to grpc-netty-shaded, as applications do. */
    public static final String DEFAULT = "tfo.it.grpc.default";

    private static final byte[] MESSAGE = "tfo".getBytes(StandardCharsets.US_ASCII);

    private GrpcClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            peer.run(method -> call(group, peer));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static int call(EventLoopGroup group, ClientPeer peer) throws InterruptedException {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(peer.host, peer.port).usePlaintext();
        if (!Boolean.getBoolean(DEFAULT)) {
            builder.eventLoopGroup(group).channelType(NioSocketChannel.class);
        }
        ManagedChannel channel = builder.build();
        try {
            byte[] echo = ClientCalls.blockingUnaryCall(channel, GrpcEchoService.ECHO,
                    CallOptions.DEFAULT.withDeadlineAfter(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), MESSAGE);
            if (!Arrays.equals(MESSAGE, echo)) {
                throw new IllegalStateException("echo " + Arrays.toString(echo));
            }
            return 200;
        } finally {
            channel.shutdownNow().awaitTermination(ClientPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
