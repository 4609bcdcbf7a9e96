package io.tfoagent.advice;

import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On the bind of a listener path the agent does not handle (Tomcat's APR connector, whose sockets
 * are tomcat-native's): tells the agent, which names the path once and counts the listener.
 */
public final class NotCoveredListenAdvice {
    private NotCoveredListenAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
        TfoBridge.notCovered(self.getClass().getName(), null);
    }
}
