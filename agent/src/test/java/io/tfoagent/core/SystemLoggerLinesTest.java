package io.tfoagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tfoagent.core.options.LogTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * log=system-logger through the JDK's default LoggerFinder, java.util.logging: every line arrives,
 * in order, escaped, without the prefix, at INFO, handed over on the agent's own thread, and all of
 * them by the time {@link AgentLog#drain} returns. (SystemLoggerIT: an application's own finder.)
 */
class SystemLoggerLinesTest {
    /** Held here: java.util.logging keeps loggers only weakly. */
    private final Logger jul = Logger.getLogger(SystemLoggerLines.LOGGER);
    private final List<String> seen = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (seen) {
                seen.add(record.getLevel() + " " + Thread.currentThread().getName() + " " + record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    SystemLoggerLinesTest() {
        jul.setUseParentHandlers(false);
        jul.addHandler(recorder);
    }

    @AfterEach
    void detach() {
        jul.removeHandler(recorder);
        jul.setUseParentHandlers(true);
    }

    @Test
    void everyLineReachesTheLoggerOnTheAgentsThreadByTheTimeDrainReturns() {
        AgentLog log = AgentLog.open(LogTarget.SYSTEM_LOGGER);
        for (int i = 0; i < 200; i++) {
            log.line("line " + i + (i == 0 ? " \u001b[2J\nforged" : ""));
        }
        log.drain(10_000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("INFO " + SystemLoggerLines.THREAD + " line " + i + (i == 0 ? " \\u001b[2J\\nforged" : ""));
        }
        synchronized (seen) {
            assertEquals(expected, seen);
        }
    }
}
