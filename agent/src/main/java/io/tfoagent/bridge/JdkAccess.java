package io.tfoagent.bridge;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens exactly the JDK internals the agent uses to the agent's own module, and grants it
 * native access: {@code sun.nio.ch} (the bridge lives there, fds are read there),
 * {@code java.net} (SocketImpl's fd), {@code java.lang} (native access), and
 * {@code jdk.internal.module} (to respect {@code --illegal-native-access=deny}).
 */
public final class JdkAccess {
    private JdkAccess() {}

    public static void open(Instrumentation inst) throws ReflectiveOperationException {
        Module agent = JdkAccess.class.getModule();
        Set<Module> toAgent = Set.of(agent);
        inst.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("sun.nio.ch", toAgent, "jdk.internal.module", toAgent),
                Map.of("sun.nio.ch", toAgent, "java.net", toAgent, "java.lang", toAgent), Set.of(), Map.of());
        NativeAccess.grantTo(agent);
    }
}
