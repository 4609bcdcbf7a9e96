package io.tfoagent.advice;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code FileChannelImpl.transferTo(long, long, WritableByteChannel)}: sendfile into a
 * deferred socket is a first write whose bytes the agent cannot see (and on older kernels
 * it waits for a handshake it never starts), so the connection is opened first, and other
 * writers of the socket wait until it returned, like for any first write. Exit: {@link DoneAdvice}.
 */
public final class TransferToAdvice {
    private TransferToAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(2) WritableByteChannel target) throws IOException {
        return TfoBridge.transferring(target);
    }
}
