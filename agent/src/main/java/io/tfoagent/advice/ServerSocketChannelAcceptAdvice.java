package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code ServerSocketChannelImpl.finishAccept(FileDescriptor, SocketAddress)} and
 * {@code UnixAsynchronousServerSocketChannelImpl.finishAccept(FileDescriptor, ...)}: a new child.
 * Both keep the listener's fd number in {@code fdVal}.
 */
public final class ServerSocketChannelAcceptAdvice {
    private ServerSocketChannelAcceptAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fdVal") int listenerFd, @Advice.Argument(0) FileDescriptor child) {
        TfoBridge.accepted(listenerFd, child);
    }
}
