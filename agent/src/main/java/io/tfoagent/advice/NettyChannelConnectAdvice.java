package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On Netty's {@code EpollSocketChannel.doConnect0(SocketAddress)} (under any shading prefix), the
 * only caller of {@code unix.Socket.connect} for a TCP channel: tells the agent, for the length of
 * the call, that the connect on this thread is a TCP channel's, and whether its application set
 * Netty's own {@code TCP_FASTOPEN_CONNECT} (its {@code config}), which the agent then leaves alone.
 */
public final class NettyChannelConnectAdvice {
    private NettyChannelConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("config") Object config) {
        TfoBridge.nettyChannelConnecting(config);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        TfoBridge.nettyChannelConnected();
    }
}
