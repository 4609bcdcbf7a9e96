package io.tfoagent.it.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.tfoagent.it.supervised.Supervised;
import java.util.List;

/**
 * One Debian nginx process run from a folder of its own ({@code nginx.conf} there, written by
 * the caller; pid file and error log there too), for the integration tests and the benchmarks
 * alike, so kept free of JUnit. It ends when the caller closes it, and also when the JVM that
 * started it dies: nginx would outlive both otherwise.
 */
public final class NginxProcess implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/nginx";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 10;

    private final Path dir;
    private final Process process;

    private NginxProcess(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** The command that runs nginx from {@code dir} under the supervisor; the caller runs it in its namespace. */
    public static List<String> command(Path dir) {
        return Supervised.command(List.of(BINARY, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString()));
    }

    /**
     * Starts {@code builder} (running {@link #command}) and returns once nginx listens; if it does
     * not within {@code timeout}, stops it and throws an IllegalStateException with its error log.
     */
    public static NginxProcess start(ProcessBuilder builder, Path dir, Duration timeout) throws IOException {
        NginxProcess nginx = new NginxProcess(dir, builder.start());
        try {
            nginx.awaitListening(timeout);
            return nginx;
        } catch (RuntimeException | Error e) {
            nginx.close();
            throw e;
        }
    }

    /** The supervisor's process: its output streams are nginx's. */
    public Process process() {
        return process;
    }

    /** nginx's own error log: what it said about its listeners and the connections it closed. */
    public String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    @Override
    public void close() {
        Supervised.stop(process, STOP_TIMEOUT);
    }

    /** nginx writes its pid file once its listeners are open and set up: the moment clients may connect. */
    private void awaitListening(Duration timeout) {
        Path pid = dir.resolve("nginx.pid");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasContent(pid)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start within " + timeout + " in " + dir
                        + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")") + "\n--- error.log\n"
                        + errorLog());
            }
            pause();
        }
    }

    /** Waits one polling interval: the callers' waits are bounded by their own deadlines. */
    public static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean hasContent(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
