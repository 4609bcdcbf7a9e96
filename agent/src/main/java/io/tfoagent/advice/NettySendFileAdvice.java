package io.tfoagent.advice;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import sun.nio.ch.TfoBridge;

/**
 * On epoll's {@code LinuxSocket.sendFile(DefaultFileRegion, long, long, long)}: a write whose bytes the
 * agent cannot see. The {@code fd} field is not visible from LinuxSocket's package; the bridge reads
 * the number (-1 here). Paired with {@link DoneAdvice}.
 */
public final class NettySendFileAdvice {
    private NettySendFileAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.This Object self) throws IOException {
        return TfoBridge.nettyWriting(self, -1, -1, null, 0L, 0, 0);
    }
}
