package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code NioSocketImpl.tryClose()}, where the JDK closes the fd (with its state lock
 * held, once no I/O is under way): after {@code close()} marked the socket closing, so no
 * write can begin on it any more, and before the fd number can be reused. Hooking
 * {@code close()} itself would leave a window in which a write the agent no longer follows
 * could still reach a socket whose SYN is deferred.
 */
public final class SocketImplCloseAdvice {
    private SocketImplCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        TfoBridge.closing(fd);
    }
}
