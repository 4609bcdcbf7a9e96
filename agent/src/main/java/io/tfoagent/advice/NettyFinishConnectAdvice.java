package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On Netty's {@code unix.Socket.finishConnect()}: how a pending connect ended, for its destination's health. */
public final class NettyFinishConnectAdvice {
    private NettyFinishConnectAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self, @Advice.FieldValue("fd") int fd, @Advice.Return boolean connected,
            @Advice.Thrown Throwable thrown) {
        TfoBridge.nettyConnectFinished(self, fd, thrown == null && connected, thrown != null);
    }
}
