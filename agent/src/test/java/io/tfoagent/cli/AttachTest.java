package io.tfoagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad option never reaches the target: the command names it and stops before attaching. */
class AttachTest {
    /** No process has it: an attempt to attach would fail, with another message and exit status 1. */
    private static final String NO_SUCH_PID = String.valueOf(Integer.MAX_VALUE);

    @Test
    void badOptionIsNamedAndNothingIsAttached() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Attach.run(NO_SUCH_PID, "strict=true,qlen=abc", print(out), print(err));

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, exit);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("tfo-agent: option 'qlen=abc' rejected")
                && lines.get(0).endsWith("; nothing was attached to '" + NO_SUCH_PID + "'"), lines.get(0));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
