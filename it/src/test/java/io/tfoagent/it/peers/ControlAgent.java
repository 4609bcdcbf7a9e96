package io.tfoagent.it.peers;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * A Java agent for control runs, packed into a jar of its own by the tests: with no options it
 * does nothing (what any {@code -javaagent} costs by itself); with a jar path it appends that jar
 * to the bootstrap class loader's search, the thing DESIGN.md §3 says tfo-agent must not do
 * because the JVM then stops sharing application classes from its CDS archive.
 */
public final class ControlAgent {
    private ControlAgent() {}

    public static void premain(String bootstrapJar, Instrumentation inst) throws IOException {
        if (bootstrapJar != null && !bootstrapJar.isEmpty()) {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar));
        }
    }
}
