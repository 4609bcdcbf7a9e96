package io.tfoagent.advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One advice class for the JDK method with a given name and parameter types (by name, so
 * nothing is loaded), and optionally a second class whose exit advice it shares with others.
 */
final class AdviceBinding {
    final Class<?> advice;
    /** The class whose exit advice runs after the method, null when {@link #advice} has its own. */
    final Class<?> exit;
    final String method;
    final String[] parameterTypes;
    /** The method may take more parameters after these (where JDKs differ only there). */
    private final boolean leadingOnly;
    /** How many parameters the method takes, whatever {@link #parameterTypes} names; -1 for no condition. */
    private final int arity;

    AdviceBinding(Class<?> advice, String method, String... parameterTypes) {
        this(advice, null, method, false, -1, parameterTypes);
    }

    private AdviceBinding(Class<?> advice, Class<?> exit, String method, boolean leadingOnly, int arity,
            String... parameterTypes) {
        this.advice = advice;
        this.exit = exit;
        this.method = method;
        this.leadingOnly = leadingOnly;
        this.arity = arity;
        this.parameterTypes = parameterTypes;
    }

    /** The method whose parameters begin with {@code leadingParameterTypes}, whatever follows them. */
    static AdviceBinding startingWith(Class<?> advice, String method, String... leadingParameterTypes) {
        return new AdviceBinding(advice, null, method, true, -1, leadingParameterTypes);
    }

    /** {@code enter}'s advice on entry, {@code exit}'s on exit. */
    static AdviceBinding around(Class<?> enter, Class<?> exit, String method, String... parameterTypes) {
        return new AdviceBinding(enter, exit, method, false, -1, parameterTypes);
    }

    /**
     * As {@link #around}, for the method that takes {@code arity} parameters, whatever their types:
     * for a parameter whose type moves with a shading prefix (Netty's DefaultFileRegion).
     */
    static AdviceBinding aroundByArity(Class<?> enter, Class<?> exit, String method, int arity) {
        return new AdviceBinding(enter, exit, method, true, arity);
    }

    Advice advice() {
        return exit == null ? Advice.to(advice) : Advice.to(advice, exit);
    }

    ElementMatcher.Junction<MethodDescription> matcher() {
        ElementMatcher.Junction<MethodDescription> m = named(method);
        if (!leadingOnly) {
            m = m.and(takesArguments(parameterTypes.length));
        } else if (arity >= 0) {
            m = m.and(takesArguments(arity));
        }
        for (int i = 0; i < parameterTypes.length; i++) {
            m = m.and(takesArgument(i, named(parameterTypes[i])));
        }
        return m;
    }

    @Override
    public String toString() {
        if (arity >= 0) {
            return method + "(" + arity + " parameters)";
        }
        return method + "(" + String.join(", ", parameterTypes) + (leadingOnly ? ", ...)" : ")");
    }
}
