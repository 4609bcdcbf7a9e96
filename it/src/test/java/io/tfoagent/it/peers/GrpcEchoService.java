package io.tfoagent.it.peers;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The one gRPC method of the test peers, hand-written (no protoc): unary, raw bytes in and out;
 * and the server side of it, the same on every gRPC transport the peers run it on.
 */
public final class GrpcEchoService {
    public static final String NAME = "tfo.Echo";
    public static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, "Echo"))
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    private GrpcEchoService() {}

    /** Starts a server from {@code builder} (its transport already chosen) with the echo method, until it ends. */
    static void serve(ServerBuilder<?> builder) throws IOException, InterruptedException {
        Server server = builder
                .addService(ServerServiceDefinition.builder(NAME)
                        .addMethod(ECHO, ServerCalls.asyncUnaryCall(new Echo()))
                        .build())
                .build()
                .start();
        PeerRuntime.listening(((InetSocketAddress) server.getListenSockets().get(0)).getPort());
        server.awaitTermination();
    }

    /** A message is its bytes. */
    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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
