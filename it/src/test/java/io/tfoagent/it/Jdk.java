package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JDK the child JVMs run on; a missing one fails the tests that need it, naming where it was looked for. */
record Jdk(String name, Path home) {
    Path java() {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            fail(name + " not found: no " + java + " (install Temurin 25 there, or point -Djdk25.home at a JDK 25)");
        }
        return java;
    }

    /** The feature release (17, 25, ...), from the JDK's {@code release} file. */
    int feature() {
        Path release = home.resolve("release");
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring("JAVA_VERSION=".length()).replace("\"", "")).feature();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + release, e);
        }
        throw new IllegalStateException("no JAVA_VERSION in " + release);
    }

    @Override
    public String toString() {
        return name;
    }
}
