package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * The exit of every followed read and write of a socket or channel, the JDK's or Netty's native
 * one, which may make the call again: after the agent reconnected a socket whose SYN data was
 * reset (a middlebox that rejects SYNs with data), the method body runs once more, on the new
 * connection, and the application sees only its outcome. The token is cleared first, so the
 * second run's exit does nothing. Paired with an enter advice that returns the token.
 */
public final class CallAgainAdvice {
    private CallAgainAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, repeatOn = Advice.OnNonDefaultValue.class)
    static boolean exit(@Advice.Enter(readOnly = false) Object token,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (token == null) {
            return false;
        }
        thrown = TfoBridge.doneOrAgain(token, thrown);
        token = null;
        boolean again = thrown == TfoBridge.CALL_AGAIN;
        if (again) {
            thrown = null;
        }
        return again;
    }
}
