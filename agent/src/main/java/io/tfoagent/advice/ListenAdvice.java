package io.tfoagent.advice;

import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On {@code ServerSocketChannelImpl.bind(SocketAddress, int backlog)},
 * {@code AsynchronousServerSocketChannelImpl.bind(SocketAddress, int backlog)} and
 * {@code NioSocketImpl.listen(int backlog)}: the socket now listens. All end with the
 * backlog argument; listen() is rare enough that boxing it costs nothing that matters.
 */
public final class ListenAdvice {
    private ListenAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.AllArguments Object[] arguments,
            @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            TfoBridge.listened(fd, (Integer) arguments[arguments.length - 1]);
        }
    }
}
