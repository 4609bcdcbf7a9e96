package io.tfoagent.core;

import io.tfoagent.core.options.LogTarget;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's voice: whole lines prefixed {@code tfo-agent: }, to stderr, a file, or
 * nowhere. Problems that can repeat (one per socket) are said once per kind.
 */
public final class AgentLog {
    public static final String PREFIX = "tfo-agent: ";

    private final PrintWriter out;
    private final Set<String> saidOnce = ConcurrentHashMap.newKeySet();

    private AgentLog(PrintWriter out) {
        this.out = out;
    }

    /** Falls back to stderr, saying why, when the log file cannot be opened. */
    public static AgentLog open(LogTarget target) {
        if (target.off()) {
            return new AgentLog(null);
        }
        if (target.file() != null) {
            try {
                return new AgentLog(new PrintWriter(new OutputStreamWriter(
                        new FileOutputStream(target.file().toFile(), true), StandardCharsets.UTF_8), true));
            } catch (IOException e) {
                AgentLog log = toStderr();
                log.line("cannot open log=file:" + target.file() + " (" + e.getMessage() + "); logging to stderr");
                return log;
            }
        }
        return toStderr();
    }

    public static AgentLog toStderr() {
        return new AgentLog(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    public void line(String message) {
        if (out != null) {
            synchronized (out) {
                out.println(PREFIX + message);
            }
        }
    }

    /** Says {@code message} the first time {@code kind} comes up, and never again. */
    public void once(String kind, String message) {
        if (saidOnce.add(kind)) {
            line(message);
        }
    }
}
