package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code NioSocketImpl.close()}: before the fd number can be reused. */
public final class SocketImplCloseAdvice {
    private SocketImplCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        TfoBridge.closing(fd);
    }
}
