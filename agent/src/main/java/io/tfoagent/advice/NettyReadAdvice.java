package io.tfoagent.advice;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's reads ({@code FileDescriptor.read}, {@code readAddress}, {@code Socket.recv}, {@code recvAddress})
 * and {@code Socket.shutdown(boolean, boolean)}: a deferred connection is opened first, so a server
 * that speaks first is heard. Paired with {@link CallAgainAdvice}.
 */
public final class NettyReadAdvice {
    private NettyReadAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self, @Advice.FieldValue("fd") int fd) throws IOException {
        return TfoBridge.nettyReading(self, fd);
    }
}
