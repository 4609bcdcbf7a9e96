package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code SocketChannelImpl.connect(SocketAddress)}, blocking or not. */
public final class ChannelConnectAdvice {
    private ChannelConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote) {
        return TfoBridge.connecting(fd, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This SocketChannel self, @Advice.FieldValue("fd") FileDescriptor fd,
            @Advice.Argument(0) SocketAddress remote, @Advice.Return boolean connected,
            @Advice.Thrown Throwable thrown, @Advice.Enter int prepared) {
        TfoBridge.connected(fd, remote, prepared, thrown == null && connected, self.isBlocking(), 0L);
    }
}
