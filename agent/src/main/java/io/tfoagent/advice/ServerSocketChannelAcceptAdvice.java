package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code ServerSocketChannelImpl.finishAccept(FileDescriptor, SocketAddress)}: a new child. */
public final class ServerSocketChannelAcceptAdvice {
    private ServerSocketChannelAcceptAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fdVal") int listenerFd, @Advice.Argument(0) FileDescriptor child) {
        TfoBridge.accepted(listenerFd, child);
    }
}
