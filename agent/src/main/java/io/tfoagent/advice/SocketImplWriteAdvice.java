package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code NioSocketImpl.write(byte[], int, int)}: every {@code Socket.getOutputStream()} write. */
public final class SocketImplWriteAdvice {
    private SocketImplWriteAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) byte[] bytes,
            @Advice.Argument(1) int offset, @Advice.Argument(2) int length) throws IOException {
        return TfoBridge.writing(fd, bytes, offset, length);
    }
}
