package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code IOUtil.read(FileDescriptor, ByteBuffer, long, boolean, NativeDispatcher)} and
 * {@code IOUtil.read(FileDescriptor, ByteBuffer[], boolean, NativeDispatcher)}, an
 * AsynchronousSocketChannel's reads (their only callers in JDK 17 and 25): a deferred connection
 * is opened first, so that a server that speaks first is heard. Exit: {@link CallAgainAdvice}.
 */
public final class AsyncReadAdvice {
    private AsyncReadAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) FileDescriptor fd) throws IOException {
        return TfoBridge.reading(fd);
    }
}
