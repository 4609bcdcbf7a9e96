package io.tfoagent.advice;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code FileChannelImpl.transferTo(long, long, WritableByteChannel)}: sendfile into a
 * deferred socket waits for a handshake it never starts on older kernels, so the
 * connection is opened first.
 */
public final class TransferToAdvice {
    private TransferToAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(2) WritableByteChannel target) throws IOException {
        TfoBridge.transferring(target);
    }
}
