package io.tfoagent.advice;

import java.io.IOException;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's writes of a ByteBuffer's range ({@code FileDescriptor.write(ByteBuffer, int pos, int limit)},
 * {@code Socket.send}, {@code Socket.sendTo(..., boolean fastOpen)}). The enter runs on every such
 * write: one field read in the bridge while no socket is followed. Paired with {@link NettyWriteAgainAdvice}.
 */
public final class NettyWriteAdvice {
    private NettyWriteAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd, @Advice.Argument(0) ByteBuffer buf,
            @Advice.Argument(1) int pos, @Advice.Argument(2) int limit) throws IOException {
        return TfoBridge.nettyWriting(self, fd, TfoBridge.NETTY_WRITE, buf, 0L, pos, limit);
    }
}
