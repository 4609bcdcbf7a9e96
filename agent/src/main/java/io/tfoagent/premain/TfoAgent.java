package io.tfoagent.premain;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The only class of tfo-agent the application's class loader can see (with its loader).
 * It hands over to the agent proper, which lives in an isolated class loader so that the
 * agent's ByteBuddy and JNA can neither clash with nor be shadowed by the application's.
 * Nothing escapes from here into the JVM; only {@code strict=true} with a bad option stops a
 * JVM at its start, with one line and exit status 1. An attach never stops the JVM it joins,
 * nor throws into it (the JDK would print the stack trace on the application's stderr).
 */
public final class TfoAgent {
    private static final String RUNTIME = "io.tfoagent.runtime.AgentRuntime";
    private static final String CLI = "io.tfoagent.cli.Cli";

    private TfoAgent() {}

    public static void premain(String options, Instrumentation inst) {
        Throwable stop = start(options, inst, false);
        if (stop != null) {
            // strict=true asked for a failed start: one line and a plain exit status, not the JVM's
            // abort with a core dump that an escaping exception would cause.
            System.err.println(stop.getMessage());
            System.exit(1);
        }
    }

    public static void agentmain(String options, Instrumentation inst) {
        Throwable stop = start(options, inst, true);
        if (stop != null) {
            runsWithout("cannot start the agent", stop);
        }
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

    /** Returns what the runtime threw: by its contract, only a bad option with strict=true at a JVM's start. */
    private static Throwable start(String options, Instrumentation inst, boolean attached) {
        Method start;
        try {
            start = IsolatedClassLoader.forAgentJar().loadClass(RUNTIME)
                    .getMethod("start", String.class, Instrumentation.class, boolean.class);
        } catch (Throwable t) {
            runsWithout("cannot load the agent", t);
            return null;
        }
        try {
            start.invoke(null, options, inst, attached);
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (Throwable t) {
            runsWithout("cannot start the agent", t);
        }
        return null;
    }

    private static void runsWithout(String what, Throwable why) {
        System.err.println("tfo-agent: " + what + " (" + why + "); the application runs without it");
    }
}
