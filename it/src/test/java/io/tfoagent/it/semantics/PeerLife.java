package io.tfoagent.it.semantics;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The exits every semantics peer arms first: when stdin closes (the test JVM stopped or died) and
 * when its lifetime is up, so that no peer outlives the test that started it, and no client
 * stuck where nothing can wake it holds the test up for longer than its own bound.
 */
public final class PeerLife {
    private PeerLife() {}

    /** Exits 0 when stdin ends; exits 3 (a peer that ran out of time) after {@code lifetime}. */
    public static void arm(Duration lifetime) {
        armStdinEnd();
        armLifetime(lifetime);
    }

    /** Exits 0 when stdin ends. */
    static void armStdinEnd() {
        daemon("exit on stdin end", () -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // Only the end of stdin matters.
                }
            } catch (IOException e) {
                // A broken stdin is an ended one.
            }
            System.exit(0);
        });
    }

    /** Only the lifetime exit, for a peer that reads stdin itself. */
    public static void armLifetime(Duration lifetime) {
        armLifetime(lifetime, () -> "");
    }

    /**
     * The lifetime exit of a client whose calls may block where nothing can wake them (a thread
     * stuck in a system call that closing the socket does not end): prints
     * {@code LIFETIME_EXCEEDED <lifetime> running=<what>} and exits 3.
     */
    static void armLifetime(Duration lifetime, Supplier<String> running) {
        daemon("exit after " + lifetime, () -> {
            try {
                Thread.sleep(lifetime.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("LIFETIME_EXCEEDED " + lifetime + " running=" + running.get());
            System.exit(3);
        });
    }

    public static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
