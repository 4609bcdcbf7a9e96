package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code NioSocketImpl.connect(SocketAddress, int millis)}, behind every {@code java.net.Socket}. */
public final class SocketImplConnectAdvice {
    private SocketImplConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote) {
        return TfoBridge.connecting(fd, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote,
            @Advice.Argument(1) int millis, @Advice.Thrown Throwable thrown, @Advice.Enter int prepared) {
        TfoBridge.connected(fd, remote, prepared, thrown == null, true, millis * 1_000_000L);
    }
}
