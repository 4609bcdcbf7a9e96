package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * The exit of a followed call that is not made again (FileChannel.transferTo, Netty's sendfile and
 * splice, whose bytes never ride in a SYN): the agent sees its outcome, and the application sees
 * what the agent answers instead (the connect failure a failure on a connection that never opened
 * stands for). Paired with an enter advice that returns the token.
 */
public final class DoneAdvice {
    private DoneAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (token != null) {
            thrown = TfoBridge.done(token, thrown);
        }
    }
}
