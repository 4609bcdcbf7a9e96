package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's {@code io.netty.channel.unix.Socket.listen(int backlog)} (under any shading prefix):
 * the native transports (epoll, io_uring) listen there, in JNI, out of the JDK's sight. The fd is
 * the {@code int fd} field Socket inherits from Netty's own FileDescriptor (Netty 4.1 and 4.2).
 */
public final class NettySocketListenAdvice {
    private NettySocketListenAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") int fd, @Advice.Argument(0) int backlog,
            @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            TfoBridge.listened(fd, backlog);
        }
    }
}
