package io.tfoagent.premain;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The only class of tfo-agent the application's class loader can see (with its loader).
 * It hands over to the agent proper, which lives in an isolated class loader so that the
 * agent's ByteBuddy and JNA can neither clash with nor be shadowed by the application's.
 * Nothing escapes from here into the JVM's start-up; only {@code strict=true} with a bad
 * option stops the JVM, with one line and exit status 1.
 */
public final class TfoAgent {
    private static final String RUNTIME = "io.tfoagent.runtime.AgentRuntime";
    private static final String CLI = "io.tfoagent.cli.Cli";

    private TfoAgent() {}

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    /** {@code java -jar tfo-agent.jar doctor | attach PID [options] | version}. */
    public static void main(String[] args) throws Throwable {
        try {
            Method main = IsolatedClassLoader.forAgentJar().loadClass(CLI)
                    .getMethod("main", String[].class, Instrumentation.class);
            main.invoke(null, args, CliInstrumentation.get());
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void start(String options, Instrumentation inst, boolean attached) {
        Method start;
        try {
            start = IsolatedClassLoader.forAgentJar().loadClass(RUNTIME)
                    .getMethod("start", String.class, Instrumentation.class, boolean.class);
        } catch (Throwable t) {
            System.err.println("tfo-agent: cannot load the agent (" + t + "); the application runs without it");
            return;
        }
        try {
            start.invoke(null, options, inst, attached);
        } catch (InvocationTargetException e) {
            // The runtime throws only when strict=true asked it to stop the JVM: one line and a
            // plain exit status, not the JVM's abort with a core dump that an escaping
            // exception would cause.
            System.err.println(e.getCause().getMessage());
            System.exit(1);
        } catch (Throwable t) {
            System.err.println("tfo-agent: cannot start the agent (" + t + "); the application runs without it");
        }
    }
}
