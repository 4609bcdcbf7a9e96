package io.tfoagent.core.options;

import java.nio.file.Path;

/** Where the agent's lines go: {@code log=stderr|off|file:PATH}. */
public final class LogTarget {
    public static final LogTarget STDERR = new LogTarget(null, false);
    public static final LogTarget OFF = new LogTarget(null, true);

    private final Path file;
    private final boolean off;

    private LogTarget(Path file, boolean off) {
        this.file = file;
        this.off = off;
    }

    static LogTarget file(Path path) {
        return new LogTarget(path, false);
    }

    /** The file to append to, or null for stderr or off. */
    public Path file() {
        return file;
    }

    public boolean off() {
        return off;
    }

    @Override
    public String toString() {
        return off ? "off" : file == null ? "stderr" : "file:" + file;
    }
}
