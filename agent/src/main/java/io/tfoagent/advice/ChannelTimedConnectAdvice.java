package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code SocketChannelImpl.blockingConnect(SocketAddress, long nanos)}: a channel's Socket adaptor connecting. */
public final class ChannelTimedConnectAdvice {
    private ChannelTimedConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote) {
        return TfoBridge.connecting(fd, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote,
            @Advice.Argument(1) long nanos, @Advice.Thrown Throwable thrown, @Advice.Enter int prepared) {
        TfoBridge.connected(fd, remote, prepared, thrown == null, true, nanos == Long.MAX_VALUE ? 0L : nanos);
    }
}
