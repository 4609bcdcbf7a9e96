package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/** On {@code NioSocketImpl.read(byte[], int, int)} and {@code shutdownOutput()}: open a deferred connection first. */
public final class SocketImplReadAdvice {
    private SocketImplReadAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.FieldValue("fd") FileDescriptor fd) throws IOException {
        return TfoBridge.reading(fd);
    }
}
