package io.tfoagent.advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One advice class for the JDK method with a given name and parameter types (by name, so nothing is loaded). */
final class AdviceBinding {
    final Class<?> advice;
    final String method;
    final String[] parameterTypes;
    /** The method may take more parameters after these (where JDKs differ only there). */
    private final boolean leadingOnly;

    AdviceBinding(Class<?> advice, String method, String... parameterTypes) {
        this(advice, method, false, parameterTypes);
    }

    private AdviceBinding(Class<?> advice, String method, boolean leadingOnly, String... parameterTypes) {
        this.advice = advice;
        this.method = method;
        this.leadingOnly = leadingOnly;
        this.parameterTypes = parameterTypes;
    }

    /** The method whose parameters begin with {@code leadingParameterTypes}, whatever follows them. */
    static AdviceBinding startingWith(Class<?> advice, String method, String... leadingParameterTypes) {
        return new AdviceBinding(advice, method, true, leadingParameterTypes);
    }

    ElementMatcher.Junction<MethodDescription> matcher() {
        ElementMatcher.Junction<MethodDescription> m = named(method);
        if (!leadingOnly) {
            m = m.and(takesArguments(parameterTypes.length));
        }
        for (int i = 0; i < parameterTypes.length; i++) {
            m = m.and(takesArgument(i, named(parameterTypes[i])));
        }
        return m;
    }

    @Override
    public String toString() {
        return method + "(" + String.join(", ", parameterTypes) + (leadingOnly ? ", ...)" : ")");
    }
}
