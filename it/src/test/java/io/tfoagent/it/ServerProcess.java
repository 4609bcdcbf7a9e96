package io.tfoagent.it;

import io.tfoagent.it.supervised.Supervised;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * A server program nobody here wrote (PostgreSQL, redis-server) run in the foreground inside a
 * namespace, its stdout and stderr kept as one stream. It is ready once it has printed its ready
 * line, and it ends when the caller closes it, or when the test JVM dies ({@link Supervised}).
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final String description;
    private final Process process;
    private final StreamLines output;

    private ServerProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.output = StreamLines.of(process.getInputStream(), "output of " + description);
    }

    /** Starts {@code command} in {@code ns} and returns once it printed a line containing {@code ready}. */
    static ServerProcess start(NetNs ns, List<String> command, String ready, Duration timeout) {
        String description = String.join(" ", command) + " in " + ns;
        ServerProcess server;
        try {
            server = new ServerProcess(description,
                    ns.exec(Supervised.command(command)).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + description, e);
        }
        if (server.output.await(line -> line.contains(ready), 1, timeout).isEmpty()) {
            server.close();
            throw new IllegalStateException(description + ": no '" + ready + "' within " + timeout + "\n"
                    + server.output.text());
        }
        return server;
    }

    /** Stops the server and returns once it has exited: from then on nothing listens where it did. */
    @Override
    public void close() {
        Supervised.stop(process, STOP_TIMEOUT);
    }

    @Override
    public String toString() {
        return description + "\n--- its output\n" + output.text();
    }
}
