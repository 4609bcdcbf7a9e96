package io.tfoagent.premain;

import java.lang.instrument.Instrumentation;

/**
 * Launcher-Agent-Class of tfo-agent.jar: {@code java -jar tfo-agent.jar doctor} gets an
 * Instrumentation this way, only to open the JDK internals the doctor inspects. It
 * instruments nothing.
 */
public final class CliInstrumentation {
    private static volatile Instrumentation instrumentation;

    private CliInstrumentation() {}

    public static void agentmain(String ignored, Instrumentation inst) {
        instrumentation = inst;
    }

    public static Instrumentation get() {
        return instrumentation;
    }
}
