package io.tfoagent.advice;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On epoll's {@code Native.splice(int fdIn, long offIn, int fdOut, long offOut, long len)}: into a
 * socket, a write whose bytes the agent cannot see, named by number only. Paired with {@link DoneAdvice}.
 */
public final class NettySpliceAdvice {
    private NettySpliceAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Argument(2) int fdOut) throws IOException {
        return TfoBridge.nettySplicing(fdOut);
    }
}
