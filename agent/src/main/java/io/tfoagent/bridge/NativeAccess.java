package io.tfoagent.bridge;

import java.lang.reflect.Method;

/**
 * JDK 24+ warns when code loads native libraries without {@code --enable-native-access}
 * (JEP 472), and JNA does so on every load. The operator added an agent, not JNA, and
 * could not act on that warning. The agent's classes form their own named module
 * (see IsolatedClassLoader), so the agent grants native access to that module alone, the
 * way the launcher's flag does, leaving the application's own warnings as they were.
 * Where the operator chose {@code --illegal-native-access=deny}, the agent respects it.
 *
 * <p>What that takes depends on the release, and must never cost the agent where nothing
 * needs granting:
 * <ul>
 * <li>17-21: JNI is not restricted: nothing to grant, nothing to look up.
 * <li>22-23: only the FFM API's restricted methods (JEP 454) are, which JNA does not call, and
 *     there is no {@code --illegal-native-access} yet: the module is granted access as the flag
 *     would, and a failed grant costs nothing, since JNA loads without a warning either way.
 * <li>24+: JNI is restricted too: read {@code --illegal-native-access} first, then grant.
 * </ul>
 */
final class NativeAccess {
    private static final int FIRST_RESTRICTED_FEATURE = 22;
    private static final int FIRST_JNI_RESTRICTED_FEATURE = 24;

    /** The two JDK internals involved, apart so that the decision above is tested on any JDK. */
    interface Internals {
        /** {@code ModuleBootstrap.illegalNativeAccess()}: ALLOW, WARN or DENY; JDK 24+ only. */
        String illegalNativeAccessMode() throws ReflectiveOperationException;

        /** {@code Module.implAddEnableNativeAccess()}, what {@code --enable-native-access} does; JDK 17+. */
        void enableNativeAccess(Module module) throws ReflectiveOperationException;
    }

    private NativeAccess() {}

    static void grantTo(Module agent) throws ReflectiveOperationException {
        if (agent.isNamed()) {
            grantTo(agent, Runtime.version().feature(), new ReflectiveInternals());
        }
    }

    static void grantTo(Module agent, int feature, Internals jdk) throws ReflectiveOperationException {
        if (feature < FIRST_RESTRICTED_FEATURE) {
            return;
        }
        if (feature < FIRST_JNI_RESTRICTED_FEATURE) {
            try {
                jdk.enableNativeAccess(agent);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // JNI is unrestricted before 24: JNA loads without a warning all the same.
            }
            return;
        }
        if (jdk.illegalNativeAccessMode().equals("DENY")) {
            throw new IllegalStateException("native access is denied (--illegal-native-access=deny), and tfo-agent"
                    + " calls libc through JNA");
        }
        jdk.enableNativeAccess(agent);
    }

    /** By reflection: JdkAccess has exported jdk.internal.module and opened java.lang to the agent. */
    private static final class ReflectiveInternals implements Internals {
        @Override
        public String illegalNativeAccessMode() throws ReflectiveOperationException {
            Method mode = Class.forName("jdk.internal.module.ModuleBootstrap").getMethod("illegalNativeAccess");
            return ((Enum<?>) mode.invoke(null)).name();
        }

        @Override
        public void enableNativeAccess(Module module) throws ReflectiveOperationException {
            Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
            grant.setAccessible(true);
            grant.invoke(module);
        }
    }
}
