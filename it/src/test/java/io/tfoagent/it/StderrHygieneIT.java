package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An operator's stderr is theirs: the agent may add its own {@code tfo-agent} lines and nothing
 * else (no JVM warnings it provokes: JEP 472 native access on JDK 24+, CDS turned off by a
 * bootstrap class path append). The JDK_HTTP peer is the strictest case: it uses no JNA of its own,
 * so it runs without {@code --enable-native-access} and any such warning is the agent's.
 */
class StderrHygieneIT extends OneHostTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 18080;


    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.tfoagent.it.ServerKind#onEachJdk")
    void agentWritesOnlyItsOwnLines(Jdk jdk, ServerKind kind) {
        String stderr;
        String status;
        try (JvmProcess server = kind.start(jdk, ns, Agent.withDefaults(), HOST, PORT)) {
            // One request, so that whatever the agent loads lazily on the TFO path has loaded.
            status = Curl.get(ns, HOST, PORT);
            stderr = server.stop();
        }

        List<String> lines = stderr.lines().toList();
        assertAll(
                () -> assertEquals("200", status),
                () -> assertFalse(lines.isEmpty(), "no tfo-agent line on stderr: did the agent load?"),
                () -> assertEquals(List.of(), lines.stream().filter(line -> !line.startsWith("tfo-agent")).toList(),
                        "stderr lines not from the agent, in:\n" + stderr));
    }
}
