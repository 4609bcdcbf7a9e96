package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code UnixAsynchronousSocketChannelImpl.setConnected()}, which the JDK calls once connect()
 * connected and before it completes the connect's handler or Future: a deferred connection is
 * followed from here, so that the first write the handler makes meets the gate.
 */
public final class AsyncConnectedAdvice {
    private AsyncConnectedAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.FieldValue("remoteAddress") SocketAddress remote) {
        TfoBridge.asyncConnected(fd, remote, true);
    }
}
