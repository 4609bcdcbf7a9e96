package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code SocketChannelImpl.write(ByteBuffer)}. The enter runs on every write of every
 * channel: one field read in the bridge while no socket is tracked. It may throw the
 * connect failure the application would have seen from connect().
 */
public final class ChannelWriteAdvice {
    private ChannelWriteAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) Object buffer)
            throws IOException {
        return TfoBridge.writing(fd, buffer, 0, 0);
    }
}
