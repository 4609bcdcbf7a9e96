package io.tfoagent.it.supervised;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server program (nginx, PostgreSQL, redis-server) run under a shell that sends it SIGTERM when
 * our end of its stdin closes: when the test closes it, and when the JVM that started it dies, so
 * that no server outlives its test. Free of JUnit, for the integration tests and the benchmarks.
 */
public final class Supervised {
    /** The shell gives background jobs /dev/null for stdin, hence fd 3. */
    private static final String SUPERVISOR = "exec 3<&0; \"$@\" </dev/null 3<&- & n=$!;"
            + " (cat <&3 >/dev/null; kill $n 2>/dev/null) & wait $n";

    private Supervised() {}

    /** {@code command} under the supervisor; the caller starts it (in its namespace) with stdin a pipe. */
    public static List<String> command(List<String> command) {
        List<String> supervised = new ArrayList<>(List.of("sh", "-c", SUPERVISOR, "sh"));
        supervised.addAll(command);
        return supervised;
    }

    /**
     * Stops the supervised program and returns once it has exited (its supervisor with it), killing
     * both if that takes longer than {@code timeout}.
     */
    public static void stop(Process supervisor, Duration timeout) {
        try {
            supervisor.getOutputStream().close(); // the supervisor's cat ends, and it sends SIGTERM
        } catch (IOException e) {
            // Already closed: the supervisor is on its way out.
        }
        try {
            if (!supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
                supervisor.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
