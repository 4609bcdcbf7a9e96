package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The JVM options that load the agent under test, or none for a control run. */
final class Agent {
    static final List<String> NONE = List.of();

    private Agent() {}

    static List<String> withDefaults() {
        return List.of("-javaagent:" + jar());
    }

    /** {@code options} as the agent takes them: {@code key=value,...}. */
    static List<String> with(String options) {
        return List.of("-javaagent:" + jar() + "=" + options);
    }

    /** A missing jar fails the test rather than skipping it: a green run must have run the agent. */
    static Path jar() {
        Path jar = SuiteProperties.agentJar();
        if (!Files.isRegularFile(jar)) {
            fail("agent jar not found at " + jar + ": build the reactor first (mvn -B verify at the root builds"
                    + " agent/ before it/)");
        }
        return jar;
    }
}
