package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code SocketChannelImpl.implCloseSelectableChannel()}: before the fd number can be reused. */
public final class ChannelCloseAdvice {
    private ChannelCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        TfoBridge.closing(fd);
    }
}
