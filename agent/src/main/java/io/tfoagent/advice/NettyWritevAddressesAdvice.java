package io.tfoagent.advice;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's gathering writes of native iovecs ({@code FileDescriptor.writevAddresses(long iovecs, int count)},
 * {@code Socket.sendToAddresses(long, int count, ..., boolean fastOpen)}). Paired with
 * {@link NettyWriteAgainAdvice}.
 */
public final class NettyWritevAddressesAdvice {
    private NettyWritevAddressesAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd, @Advice.Argument(0) long iovecs,
            @Advice.Argument(1) int count) throws IOException {
        return TfoBridge.nettyWriting(self, fd, TfoBridge.NETTY_WRITEV_ADDRESSES, null, iovecs, 0, count);
    }
}
