package io.tfoagent.advice;

import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code UnixAsynchronousSocketChannelImpl.finishConnect(boolean)}, the end of a pending connect
 * (it catches every failure itself): connected when {@code setConnected()} set the remote address.
 * As {@link ChannelFinishConnectAdvice}, it tells the agent whether the destination answers.
 */
public final class AsyncFinishConnectAdvice {
    private AsyncFinishConnectAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("pendingRemote") SocketAddress remote,
            @Advice.FieldValue("remoteAddress") SocketAddress connected) {
        TfoBridge.connectFinished(remote, connected != null, connected == null);
    }
}
