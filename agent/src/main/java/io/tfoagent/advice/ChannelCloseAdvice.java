package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code SocketChannelImpl.implCloseSelectableChannel()} and
 * {@code UnixAsynchronousSocketChannelImpl.implClose()}: the channel is already marked closed
 * (so no write can begin on it any more), and the fd number cannot be reused yet.
 */
public final class ChannelCloseAdvice {
    private ChannelCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        TfoBridge.closing(fd);
    }
}
