package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of this module inside a namespace. Its output is kept for
 * assertions; its stdin stays open while it runs, and the peers exit when it closes, so a test
 * JVM that dies takes its children with it.
 */
final class JvmProcess implements AutoCloseable {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final String description;
    private final Process process;
    private final StreamLines stdout;
    private final StreamLines stderr;

    private JvmProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdout = StreamLines.of(process.getInputStream(), "stdout of " + description);
        this.stderr = StreamLines.of(process.getErrorStream(), "stderr of " + description);
    }

    static JvmProcess start(Jdk jdk, NetNs ns, List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        return start(jdk, ns, jvmOptions, SuiteProperties.childClasspath(), mainClass.getName(), args, Map.of());
    }

    /**
     * As {@link #start(Jdk, NetNs, List, Class, List)}, with a class path of the caller's own (an
     * application that ships its own libraries, a jar for class data sharing) and variables added
     * to the child's environment.
     */
    static JvmProcess start(Jdk jdk, NetNs ns, List<String> jvmOptions, String classpath, String mainClass,
            List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        String description = mainClass.substring(mainClass.lastIndexOf('.') + 1) + " on " + jdk + " in " + ns;
        ProcessBuilder builder = ns.exec(command);
        builder.environment().putAll(environment);
        try {
            return new JvmProcess(description, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + description, e);
        }
    }

    /** The JVM's pid: {@code ip netns exec} execs the command, so the process started is the JVM itself. */
    long pid() {
        return process.pid();
    }

    /** Writes {@code line} to the JVM's stdin (for peers that take their steps from there). */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the stdin of " + description, e);
        }
    }

    /**
     * Closes the JVM's stdin: for peers that wait for its end before they exit by themselves, so
     * that the test can look at them (heap, fds) first and still get their own exit code.
     */
    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close stdin of " + description, e);
        }
    }

    /** What the JVM wrote on stdout so far (all of it once it has been stopped or has exited). */
    String stdout() {
        return stdout.text();
    }

    /** What the JVM wrote on stderr so far (all of it once it has been stopped or has exited). */
    String stderr() {
        return stderr.text();
    }

    /** Waits for the JVM to exit by itself and returns its exit code; fails (and kills it) if it does not in time. */
    int awaitExit(Duration timeout) {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            String seen = "\n--- stdout\n" + stdout.text() + "\n--- stderr\n" + stderr.text();
            stop();
            fail(description + ": still running after " + timeout + seen);
        }
        stdout.awaitEnd(DRAIN_TIMEOUT);
        stderr.awaitEnd(DRAIN_TIMEOUT);
        return process.exitValue();
    }

    String awaitLine(String prefix, Duration timeout) {
        return awaitLines(prefix, 1, timeout).get(0);
    }

    /** The first {@code count} stdout lines starting with {@code prefix}; fails if they do not come in time. */
    List<String> awaitLines(String prefix, int count, Duration timeout) {
        List<String> lines = stdout.await(line -> line.startsWith(prefix), count, timeout);
        if (lines.size() < count) {
            fail(description + ": expected " + count + " line(s) starting '" + prefix + "' within " + timeout
                    + ", saw " + lines.size() + (process.isAlive() ? "" : "; it exited " + process.exitValue())
                    + "\n--- stdout\n" + stdout.text() + "\n--- stderr\n" + stderr.text());
        }
        return lines.subList(0, count);
    }

    /**
     * The first {@code count} stdout lines starting with {@code prefix}, or fewer if the JVM ended its
     * output (exited) or the timeout passed first: for a caller that explains the failure itself.
     */
    List<String> awaitLinesOrExit(String prefix, Duration timeout) {
        return stdout.await(line -> line.startsWith(prefix), 1, timeout);
    }

    /** The first stderr line starting with {@code prefix}; fails if it does not come in time. */
    String awaitStderrLine(String prefix, Duration timeout) {
        List<String> lines = stderr.await(line -> line.startsWith(prefix), 1, timeout);
        if (lines.isEmpty()) {
            fail(description + ": expected a stderr line starting '" + prefix + "' within " + timeout
                    + (process.isAlive() ? "" : "; it exited " + process.exitValue())
                    + "\n--- stdout\n" + stdout.text() + "\n--- stderr\n" + stderr.text());
        }
        return lines.get(0);
    }

    /** The first {@code count} stderr lines that {@code match}, described as {@code what}; fails if they do not come in time. */
    List<String> awaitStderrLines(java.util.function.Predicate<String> match, String what, int count, Duration timeout) {
        List<String> lines = stderr.await(match, count, timeout);
        if (lines.size() < count) {
            fail(description + ": expected " + count + " stderr line(s) " + what + " within " + timeout + ", saw "
                    + lines.size() + (process.isAlive() ? "" : "; it exited " + process.exitValue())
                    + "\n--- stdout\n" + stdout.text() + "\n--- stderr\n" + stderr.text());
        }
        return lines.subList(0, count);
    }

    /**
     * Ends the JVM the way an operator would (SIGTERM, so shutdown hooks run), forcibly if it does
     * not exit in time, and returns all it wrote on stderr.
     */
    String stop() {
        // Through the handle: Process.destroy() would also close our ends of the pipes, losing
        // what the JVM writes while it shuts down (the agent's counters line).
        process.toHandle().destroy();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        stdout.awaitEnd(DRAIN_TIMEOUT);
        stderr.awaitEnd(DRAIN_TIMEOUT);
        return stderr.text();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
