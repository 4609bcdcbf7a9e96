package io.tfoagent.bridge;

import java.lang.reflect.Method;

/**
 * JDK 22+ warns when code calls native methods without {@code --enable-native-access}
 * (JEP 472), and JNA does so on every load. The operator added an agent, not JNA, and
 * could not act on that warning. The agent's classes form their own named module
 * (see IsolatedClassLoader), so the agent grants native access to that module alone, the
 * way the launcher's flag does, leaving the application's own warnings as they were.
 * Where the operator chose {@code --illegal-native-access=deny}, the agent respects it.
 */
final class NativeAccess {
    private static final int FIRST_WARNING_FEATURE = 22;

    private NativeAccess() {}

    static void grantTo(Module agent) throws ReflectiveOperationException {
        if (Runtime.version().feature() < FIRST_WARNING_FEATURE || !agent.isNamed()) {
            return;
        }
        Method mode = Class.forName("jdk.internal.module.ModuleBootstrap").getMethod("illegalNativeAccess");
        if (((Enum<?>) mode.invoke(null)).name().equals("DENY")) {
            throw new IllegalStateException("native access is denied (--illegal-native-access=deny), and tfo-agent"
                    + " calls libc through JNA");
        }
        Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
        grant.setAccessible(true);
        grant.invoke(agent);
    }
}
