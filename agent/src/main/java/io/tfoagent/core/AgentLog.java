package io.tfoagent.core;

import io.tfoagent.core.options.LogTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's voice: whole lines prefixed {@code tfo-agent: }, to stderr, a file, the
 * application's logging ({@link SystemLoggerLines}), or nowhere. Every line is made printable here ({@link Printable#line}), so nothing the agent
 * says can break a line or drive a terminal. Problems that can repeat (one per socket) are
 * said once per kind.
 *
 * <p>A log file is written without a PrintWriter, which would swallow a failed write: the
 * first line the file refuses (a full disk, {@code /dev/full}, a revoked mount) is said once
 * on stderr, and that line and every later one go to stderr, so no line is lost silently.
 */
public final class AgentLog {
    public static final String PREFIX = "tfo-agent: ";

    private final Object lock = new Object();
    private final PrintStream stderr;
    /** The log file as its lines name it ({@code log=file:'PATH'}); null when writing to stderr or nowhere. */
    private final String fileTarget;
    /** Null when off; the file until it fails, then stderr. Guarded by {@link #lock}. */
    private OutputStream out;
    /** Non-null for log=system-logger, and then the only place lines go. */
    private final SystemLoggerLines systemLogger;
    private final Set<String> saidOnce = ConcurrentHashMap.newKeySet();

    private AgentLog(OutputStream out, String fileTarget, boolean systemLogger) {
        this.stderr = System.err;
        this.out = out;
        this.fileTarget = fileTarget;
        this.systemLogger = systemLogger ? new SystemLoggerLines(stderr) : null;
    }

    /**
     * @throws UncheckedIOException only for {@code log=file:}, when the file cannot be opened for
     *     appending, with a one-line message that names it and says why; the caller decides
     *     whether that stops the start ({@code strict=true}) or the lines go to {@link #toStderr()}.
     *     Unchecked so that callers with {@code log=off} or stderr need not handle it.
     */
    public static AgentLog open(LogTarget target) {
        if (target.off()) {
            return new AgentLog(null, null, false);
        }
        if (target.systemLogger()) {
            return new AgentLog(null, null, true);
        }
        if (target.file() == null) {
            return toStderr();
        }
        String name = "log=file:" + Printable.quote(target.file().toString());
        try {
            return new AgentLog(Files.newOutputStream(target.file(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), name, false);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new UncheckedIOException("cannot open " + name + " (" + reason(e) + ")",
                    e instanceof IOException ? (IOException) e : new IOException(e));
        }
    }

    public static AgentLog toStderr() {
        return new AgentLog(System.err, null, false);
    }

    public void line(String message) {
        if (systemLogger != null) {
            systemLogger.offer(Printable.line(message));
            return;
        }
        byte[] line = bytes(message);
        synchronized (lock) {
            if (out == null) {
                return;
            }
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                fallBackToStderr(e);
                stderr.write(line, 0, line.length);
                stderr.flush();
            }
        }
    }

    /** Says {@code message} the first time {@code kind} comes up, and never again. */
    public void once(String kind, String message) {
        if (saidOnce.add(kind)) {
            line(message);
        }
    }

    /**
     * At JVM exit, after the last line: waits up to {@code millis} for lines still on their way
     * to the application's logging (log=system-logger; the others are written when said).
     */
    public void drain(long millis) {
        if (systemLogger != null) {
            try {
                systemLogger.drain(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Only a file can fail here: PrintStream (stderr) keeps its errors to itself. */
    private void fallBackToStderr(IOException e) {
        try {
            out.close();
        } catch (IOException ignored) {
            // it failed already; stderr is where the lines go now either way
        }
        out = stderr;
        byte[] notice = bytes("cannot write to " + fileTarget + " (" + reason(e) + "); logging to stderr from now on");
        stderr.write(notice, 0, notice.length);
    }

    private static byte[] bytes(String message) {
        return (PREFIX + Printable.line(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What the OS said, without the path the exception repeats (the caller names the target once, quoted). */
    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        // Short OS words ("No space left on device"); line() makes them printable with the rest.
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
