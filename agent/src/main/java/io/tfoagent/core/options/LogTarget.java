package io.tfoagent.core.options;

import java.nio.file.Path;

/** Where the agent's lines go: {@code log=stderr|off|system-logger|file:PATH}. */
public final class LogTarget {
    public static final LogTarget STDERR = new LogTarget(null, false, false);
    public static final LogTarget OFF = new LogTarget(null, true, false);
    /** The application's logging, through {@code System.Logger} (see AgentLog). */
    public static final LogTarget SYSTEM_LOGGER = new LogTarget(null, false, true);

    private final Path file;
    private final boolean off;
    private final boolean systemLogger;

    private LogTarget(Path file, boolean off, boolean systemLogger) {
        this.file = file;
        this.off = off;
        this.systemLogger = systemLogger;
    }

    static LogTarget file(Path path) {
        return new LogTarget(path, false, false);
    }

    /** The file to append to, or null for stderr or off. */
    public Path file() {
        return file;
    }

    public boolean off() {
        return off;
    }

    public boolean systemLogger() {
        return systemLogger;
    }

    @Override
    public String toString() {
        return off ? "off" : systemLogger ? "system-logger" : file == null ? "stderr" : "file:" + file;
    }
}
