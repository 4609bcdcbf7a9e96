package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On the channel's reads ({@code read(ByteBuffer)}, {@code read(ByteBuffer[], int, int)},
 * {@code blockingRead}) and {@code shutdownOutput()}: a deferred connection is opened first,
 * so a server that speaks first is heard.
 */
public final class ChannelReadAdvice {
    private ChannelReadAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.FieldValue("fd") FileDescriptor fd) throws IOException {
        return TfoBridge.reading(fd);
    }
}
