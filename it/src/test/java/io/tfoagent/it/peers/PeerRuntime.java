package io.tfoagent.it.peers;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/** What every peer server does around its own job: arguments, the LISTENING line, and not outliving the test. */
final class PeerRuntime {
    /** Long enough for any one test; short enough that an orphan does not linger. */
    private static final Duration LIFETIME = Duration.ofSeconds(120);

    private PeerRuntime() {}

    /**
     * Parses {@code host port}, arms the exits (when stdin closes, the test JVM stopped or died,
     * or when the lifetime is up, whichever comes first) and waits for the agent's warm-up, so
     * that the listener is opened with the advice in place (one opened earlier gets TFO only
     * when the warm-up ends).
     */
    static InetSocketAddress begin(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: <main> <bind-host> <port>");
        }
        AgentWarmUp.await();
        daemon("exit on stdin end", PeerRuntime::exitOnStdinEnd);
        daemon("exit after " + LIFETIME, PeerRuntime::exitAfterLifetime);
        return new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    }

    /** The line the tests wait for before they connect. */
    static void listening(int port) {
        System.out.println("LISTENING " + port);
    }

    private static void exitOnStdinEnd() {
        try (InputStream in = System.in) {
            while (in.read() != -1) {
                // Nothing is sent on stdin; only its end matters.
            }
        } catch (IOException e) {
            // A broken stdin is an ended one.
        }
        System.exit(0);
    }

    private static void exitAfterLifetime() {
        try {
            Thread.sleep(LIFETIME.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(3); // Not 0: a test that sees this exit code knows the peer ran out of time.
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
