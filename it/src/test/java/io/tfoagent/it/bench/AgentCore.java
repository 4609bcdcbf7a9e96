package io.tfoagent.it.bench;

import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's plain-Java core (agent/target/classes), loaded for the benchmarks in a loader of its
 * own. Not a test dependency of this module: on the class path of the child JVMs that
 * the integration tests start, its io.tfoagent.premain classes would shadow those of the
 * {@code -javaagent} jar. The benchmarks call it through constant method handles, which the JIT
 * inlines like direct calls.
 */
final class AgentCore {
    /** System property with the directory of the agent's compiled classes. */
    static final String CLASSES_PROPERTY = "tfo.agent.classes";

    private static final ClassLoader LOADER = loader();

    private AgentCore() {}

    private static ClassLoader loader() {
        String dir = System.getProperty(CLASSES_PROPERTY);
        if (dir == null || !Files.isDirectory(Path.of(dir, "io", "tfoagent", "core"))) {
            throw new IllegalStateException("-D" + CLASSES_PROPERTY + " must name agent/target/classes, got " + dir
                    + " (build it: mvn -B -q -DskipTests install -pl native-shim,agent)");
        }
        try {
            // The platform loader as parent: only the JDK and the agent's own classes are visible.
            return new URLClassLoader("tfo-agent-core", new URL[] {Path.of(dir).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Class<?> type(String name) {
        try {
            return Class.forName(name, true, LOADER);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " not in " + System.getProperty(CLASSES_PROPERTY), e);
        }
    }

    /** A public static or instance method of {@code owner}, adapted to {@code erased}. */
    static MethodHandle method(String owner, String name, MethodType real, MethodType erased) {
        Class<?> type = type(owner);
        try {
            boolean instance = erased.parameterCount() == real.parameterCount() + 1;
            MethodHandle handle = instance
                    ? MethodHandles.publicLookup().findVirtual(type, name, real)
                    : MethodHandles.publicLookup().findStatic(type, name, real);
            return handle.asType(erased);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(owner + "." + name + real + " not found: the benchmark is out of date", e);
        }
    }

    static MethodHandle constructor(String owner, MethodType real) {
        Class<?> type = type(owner);
        try {
            return MethodHandles.publicLookup().findConstructor(type, real)
                    .asType(real.changeReturnType(Object.class).erase());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(owner + real + " not found: the benchmark is out of date", e);
        }
    }
}
