package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code IOUtil.write(FileDescriptor, ByteBuffer[], boolean, NativeDispatcher)}, an
 * AsynchronousSocketChannel's gathering write of every buffer given: as {@link AsyncWriteAdvice}.
 */
public final class AsyncGatheringWriteAdvice {
    private AsyncGatheringWriteAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) ByteBuffer[] buffers)
            throws IOException {
        return TfoBridge.writing(fd, buffers, 0, buffers.length);
    }
}
