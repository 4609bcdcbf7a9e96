package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.fail;

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

    @Override
    public String toString() {
        return name;
    }
}
