package io.tfoagent.advice;

import java.io.IOException;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's {@code FileDescriptor.writev(ByteBuffer[], int offset, int length, long maxBytes)}. Paired
 * with {@link NettyWriteAgainAdvice}.
 */
public final class NettyWritevAdvice {
    private NettyWritevAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd,
            @Advice.Argument(0) ByteBuffer[] buffers, @Advice.Argument(1) int offset, @Advice.Argument(2) int length)
            throws IOException {
        return TfoBridge.nettyWriting(self, fd, TfoBridge.NETTY_WRITEV, buffers, 0L, offset, length);
    }
}
