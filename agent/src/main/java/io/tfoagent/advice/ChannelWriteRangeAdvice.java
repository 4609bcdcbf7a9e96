package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code SocketChannelImpl.write(ByteBuffer[], int, int)} (gathering) and
 * {@code blockingWriteFully(byte[], int, int)} (the channel's Socket adaptor stream).
 */
public final class ChannelWriteRangeAdvice {
    private ChannelWriteRangeAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) Object bytes,
            @Advice.Argument(1) int offset, @Advice.Argument(2) int length) throws IOException {
        return TfoBridge.writing(fd, bytes, offset, length);
    }
}
