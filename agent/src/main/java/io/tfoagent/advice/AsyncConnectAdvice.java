package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code UnixAsynchronousSocketChannelImpl.implConnect(SocketAddress, Object, CompletionHandler)}:
 * TCP_FASTOPEN_CONNECT before the JDK's connect() for an allowed destination; the exit only ends
 * the agent's part of a connect that did not connect at once (one that did was seen by
 * {@link AsyncConnectedAdvice}, before its completion handler could run).
 */
public final class AsyncConnectAdvice {
    private AsyncConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote) {
        TfoBridge.asyncConnecting(fd, remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketAddress remote) {
        TfoBridge.asyncConnected(fd, remote, false);
    }
}
