package io.tfoagent.advice;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's writes of native memory ({@code FileDescriptor.writeAddress(long address, int pos, int limit)},
 * {@code Socket.sendAddress}, {@code Socket.sendToAddress(..., boolean fastOpen)}). Paired with
 * {@link NettyWriteAgainAdvice}.
 */
public final class NettyWriteAddressAdvice {
    private NettyWriteAddressAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd, @Advice.Argument(0) long address,
            @Advice.Argument(1) int pos, @Advice.Argument(2) int limit) throws IOException {
        return TfoBridge.nettyWriting(self, fd, TfoBridge.NETTY_WRITE_ADDRESS, null, address, pos, limit);
    }
}
