package io.tfoagent.advice;

import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code SocketChannelImpl.finishConnect()}: a pending non-blocking connect that completed
 * tells the agent its destination answers again (after a deferred connect to it failed).
 */
public final class ChannelFinishConnectAdvice {
    private ChannelFinishConnectAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("remoteAddress") SocketAddress remote, @Advice.Return boolean connected,
            @Advice.Thrown Throwable thrown) {
        TfoBridge.connectFinished(remote, thrown == null && connected, thrown != null);
    }
}
