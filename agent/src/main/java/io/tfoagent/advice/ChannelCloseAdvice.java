package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code SocketChannelImpl.implCloseSelectableChannel()}: before the fd number can be reused. */
public final class ChannelCloseAdvice {
    private ChannelCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fdVal") int fd) {
        TfoBridge.closing(fd);
    }
}
