package io.tfoagent.it;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What Maven tells the tests about the build (see this module's pom: surefire's systemPropertyVariables). */
final class SuiteProperties {
    private SuiteProperties() {}

    static Path agentJar() {
        return Path.of(required("tfo.agent.jar")).toAbsolutePath().normalize();
    }

    static Path jdk25Home() {
        return Path.of(required("jdk25.home"));
    }

    /** The class path of the child JVMs: this module's test classes (the peers) and their dependencies. */
    static String childClasspath() {
        return required("it.classpath");
    }

    /** {@link #childClasspath()} less the jars whose file name contains {@code part}. */
    static String childClasspathWithout(String part) {
        return Arrays.stream(childClasspath().split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().contains(part))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** This module's compiled test classes alone (the peers), without their dependencies. */
    static Path testClasses() {
        return Path.of(required("it.test.classes"));
    }

    /** Where the build copied the libraries DependencyIsolationIT's application ships of its own. */
    static Path appLibs() {
        return Path.of(required("it.app.libs"));
    }

    /** The OpenTelemetry Java agent the build copied, to run beside ours. */
    static Path otelAgent() {
        return Path.of(required("it.otel.agent"));
    }

    /** Prometheus' jmx_exporter Java agent the build copied, to scrape the agent's MBeans. */
    static Path jmxExporter() {
        return Path.of(required("it.jmx.exporter"));
    }

    /** A version the build put in a system property, e.g. {@code it.app.jna.version}. */
    static String version(String name) {
        return required(name);
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven"
                    + " (mvn -B -pl it verify), which sets it");
        }
        return value;
    }
}
