package io.tfoagent.advice;

/** One advice class for the methods of a JDK class with a given name and argument count. */
final class AdviceBinding {
    final Class<?> advice;
    final String method;
    final int arguments;

    AdviceBinding(Class<?> advice, String method, int arguments) {
        this.advice = advice;
        this.method = method;
        this.arguments = arguments;
    }

    @Override
    public String toString() {
        return method + "/" + arguments;
    }
}
