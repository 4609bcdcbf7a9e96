package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On Netty's {@code FileDescriptor.close()}, before its JNI close: the number is free for another socket right after. */
public final class NettyCloseAdvice {
    private NettyCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd) {
        TfoBridge.nettyClosing(self, fd);
    }
}
