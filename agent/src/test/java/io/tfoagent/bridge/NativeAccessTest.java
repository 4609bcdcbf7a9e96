package io.tfoagent.bridge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the agent asks of the JDK before JNA loads, release by release, against a JDK that only records it. */
class NativeAccessTest {
    private static final Module AGENT = NativeAccessTest.class.getModule();

    /** 17-21: nothing to grant, so the internals are never touched and cannot switch the agent off. */
    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 21})
    void asksNothingWhereJniIsUnrestricted(int feature) {
        RecordingJdk jdk = RecordingJdk.withoutInternals();
        assertDoesNotThrow(() -> NativeAccess.grantTo(AGENT, feature, jdk));
        assertEquals(List.of(), jdk.calls);
    }

    /** 22-23: granted as the flag would, without asking for the mode that JDK 24 introduced. */
    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {22, 23})
    void grantsWithoutAskingTheModeBeforeJdk24(int feature) throws ReflectiveOperationException {
        RecordingJdk jdk = RecordingJdk.withMode(null);
        NativeAccess.grantTo(AGENT, feature, jdk);
        assertEquals(List.of("enableNativeAccess"), jdk.calls);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {22, 23})
    void aFailedGrantBeforeJdk24KeepsTheAgentOn(int feature) {
        RecordingJdk jdk = RecordingJdk.withoutInternals();
        assertDoesNotThrow(() -> NativeAccess.grantTo(AGENT, feature, jdk));
        assertEquals(List.of("enableNativeAccess"), jdk.calls);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {24, 25, 26})
    void grantsUnlessDeniedFromJdk24(int feature) throws ReflectiveOperationException {
        RecordingJdk jdk = RecordingJdk.withMode("WARN");
        NativeAccess.grantTo(AGENT, feature, jdk);
        assertEquals(List.of("illegalNativeAccessMode", "enableNativeAccess"), jdk.calls);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {24, 25, 26})
    void respectsDenyFromJdk24(int feature) {
        RecordingJdk jdk = RecordingJdk.withMode("DENY");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeAccess.grantTo(AGENT, feature, jdk));
        assertEquals(List.of("illegalNativeAccessMode"), jdk.calls);
        assertTrue(e.getMessage().contains("--illegal-native-access=deny"), e.getMessage());
    }

    /** From 24 a grant is what keeps the JEP 472 warning away, so not knowing the mode is said, not guessed. */
    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {24, 25, 26})
    void anUnreadableModeFromJdk24IsReported(int feature) {
        RecordingJdk jdk = RecordingJdk.withoutInternals();
        assertThrows(NoSuchMethodException.class, () -> NativeAccess.grantTo(AGENT, feature, jdk));
        assertEquals(List.of("illegalNativeAccessMode"), jdk.calls);
    }

    /** Records what is asked; a null mode stands for internals that are missing. */
    private static final class RecordingJdk implements NativeAccess.Internals {
        final List<String> calls = new ArrayList<>();
        private final String mode;
        private final boolean grantWorks;

        private RecordingJdk(String mode, boolean grantWorks) {
            this.mode = mode;
            this.grantWorks = grantWorks;
        }

        static RecordingJdk withMode(String mode) {
            return new RecordingJdk(mode, true);
        }

        static RecordingJdk withoutInternals() {
            return new RecordingJdk(null, false);
        }

        @Override
        public String illegalNativeAccessMode() throws NoSuchMethodException {
            calls.add("illegalNativeAccessMode");
            if (mode == null) {
                throw new NoSuchMethodException("jdk.internal.module.ModuleBootstrap.illegalNativeAccess()");
            }
            return mode;
        }

        @Override
        public void enableNativeAccess(Module module) throws NoSuchMethodException {
            calls.add("enableNativeAccess");
            if (!grantWorks) {
                throw new NoSuchMethodException("java.lang.Module.implAddEnableNativeAccess()");
            }
        }
    }
}
