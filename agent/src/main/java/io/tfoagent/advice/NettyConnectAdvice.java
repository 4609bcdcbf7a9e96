package io.tfoagent.advice;

import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's {@code unix.Socket.connect(SocketAddress)} (under any shading prefix): TCP_FASTOPEN_CONNECT
 * before the JNI connect for an allowed destination, when the agent gates every write of that
 * Netty copy's epoll transport; else the connect is named as not covered. The socket's identity is
 * Netty's FileDescriptor object itself, its number the {@code fd} field.
 */
public final class NettyConnectAdvice {
    private NettyConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd,
            @Advice.Argument(0) SocketAddress remote) {
        return TfoBridge.nettyConnecting(self, fd, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self, @Advice.FieldValue("fd") int fd,
            @Advice.Argument(0) SocketAddress remote, @Advice.Return boolean connected,
            @Advice.Thrown Throwable thrown, @Advice.Enter int prepared) {
        TfoBridge.nettyConnected(self, fd, remote, prepared, thrown == null && connected,
                thrown == null && !connected);
    }
}
