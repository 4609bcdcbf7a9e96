package io.tfoagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.options.LogTarget;
import io.tfoagent.core.options.OptionsParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the log does with a file it cannot open or write, and that every line it writes is one printable line. */
class AgentLogTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realStderr;

    @TempDir
    Path dir;

    @BeforeEach
    void captureStderr() {
        realStderr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(realStderr);
    }

    private static LogTarget file(String path) {
        return OptionsParser.parse(null, "log=file:" + path).log();
    }

    private List<String> stderrLines() {
        return stderr.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void linesAppendToTheFile() throws IOException {
        Path log = dir.resolve("agent.log");
        Files.writeString(log, "earlier\n");
        AgentLog.open(file(log.toString())).line("one");
        AgentLog.open(file(log.toString())).line("two");
        assertEquals(List.of("earlier", "tfo-agent: one", "tfo-agent: two"), Files.readAllLines(log));
        assertEquals(List.of(), stderrLines());
    }

    @Test
    void aFileThatCannotBeOpenedIsNamedWithTheReason() {
        assertEquals("cannot open log=file:'" + dir.resolve("missing/agent.log") + "' (no such file or directory)",
                assertThrows(UncheckedIOException.class, () -> AgentLog.open(file(dir + "/missing/agent.log")))
                        .getMessage());
        assertEquals("cannot open log=file:'" + dir + "' (Is a directory)",
                assertThrows(UncheckedIOException.class, () -> AgentLog.open(file(dir.toString()))).getMessage());
    }

    @Test
    void aFileThatRefusesAWriteIsSaidOnceAndTheLinesGoToStderr() {
        AgentLog log = AgentLog.open(file("/dev/full"));
        log.line("first");
        log.line("second");
        assertEquals(List.of(
                "tfo-agent: cannot write to log=file:'/dev/full' (No space left on device); logging to stderr from now on",
                "tfo-agent: first",
                "tfo-agent: second"), stderrLines());
    }

    @Test
    void everyLineIsOnePrintableLine() {
        AgentLog.toStderr().line("forged\ntfo-agent: line\u001b[2J\r");
        assertEquals(List.of("tfo-agent: forged\\ntfo-agent: line\\u001b[2J\\r"), stderrLines());
    }

    @Test
    void offSaysNothing() {
        AgentLog.open(LogTarget.OFF).line("nothing");
        assertTrue(stderrLines().isEmpty());
    }
}
