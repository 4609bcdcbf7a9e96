package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On the connect of a client path the agent does not handle (Netty's io_uring transport, under any
 * shading prefix): tells the agent, which names the path once
 * and counts the connect. The socket is left exactly as it was.
 */
public final class NotCoveredConnectAdvice {
    private NotCoveredConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self, @Advice.Argument(0) Object remote) {
        TfoBridge.notCovered(self.getClass().getName(), remote);
    }
}
