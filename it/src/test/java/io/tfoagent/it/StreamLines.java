package io.tfoagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The lines of a child process's output stream, read on a daemon thread as they come, so that a
 * full pipe never blocks the child and a test can wait for a line with a deadline.
 */
final class StreamLines {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private StreamLines(InputStream in, String name) {
        reader = new Thread(() -> readAll(in), name);
        reader.setDaemon(true);
        reader.start();
    }

    static StreamLines of(InputStream in, String name) {
        return new StreamLines(in, name);
    }

    private void readAll(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The pipe breaks when the child is killed; what was read so far is all there is.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /**
     * Waits until {@code count} lines match, the stream ends or the timeout passes, and returns the
     * matching lines seen by then (possibly fewer than asked: the caller decides what that means).
     */
    synchronized List<String> await(Predicate<String> match, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<String> matching = matching(match);
        while (matching.size() < count && !ended) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            matching = matching(match);
        }
        return matching;
    }

    /** Waits (bounded) for the end of the stream, after which {@link #text()} is complete. */
    void awaitEnd(Duration timeout) {
        try {
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    private List<String> matching(Predicate<String> match) {
        return lines.stream().filter(match).toList();
    }

    /** The last {@code count} lines of {@code text} (null: none), for a failure's report. */
    static String tail(String text, int count) {
        List<String> lines = text == null ? List.of() : text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
