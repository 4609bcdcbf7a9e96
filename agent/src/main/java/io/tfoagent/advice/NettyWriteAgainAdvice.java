package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * The exit of Netty's native writes: {@link CallAgainAdvice}'s, with the count the write returned,
 * which alone says whether a first write took all its bytes (Netty hands the kernel a range and
 * never moves its buffer), so whether what rode in the SYN may be sent again after a reconnect.
 */
public final class NettyWriteAgainAdvice {
    private NettyWriteAgainAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, repeatOn = Advice.OnNonDefaultValue.class)
    static boolean exit(@Advice.Enter(readOnly = false) Object token, @Advice.Return long written,
            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (token == null) {
            return false;
        }
        thrown = TfoBridge.writtenOrAgain(token, thrown, written);
        token = null;
        boolean again = thrown == TfoBridge.CALL_AGAIN;
        if (again) {
            thrown = null;
        }
        return again;
    }
}
