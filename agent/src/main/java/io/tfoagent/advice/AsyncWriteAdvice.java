package io.tfoagent.advice;

import java.io.FileDescriptor;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code IOUtil.write(FileDescriptor, ByteBuffer, long, boolean, NativeDispatcher)}, the write of
 * an AsynchronousSocketChannel (the only caller of that overload in JDK 17 and 25), whether the
 * application's thread makes it ({@code implWrite}) or the channel group's ({@code finishWrite}):
 * the first write's gate. Being around the system call, its exit ({@link CallAgainAdvice}) can turn a
 * failure into the connect failure it is before the JDK completes the handler or Future with it.
 */
public final class AsyncWriteAdvice {
    private AsyncWriteAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) Object buffer) throws IOException {
        return TfoBridge.writing(fd, buffer, 0, 0);
    }
}
