package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.net.SocketImpl;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code NioSocketImpl.accept(SocketImpl)}: the child impl now holds the new connection. */
public final class SocketImplAcceptAdvice {
    private SocketImplAcceptAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor listener, @Advice.Argument(0) SocketImpl child,
            @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            TfoBridge.accepted(listener, child);
        }
    }
}
