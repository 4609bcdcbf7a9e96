package io.tfoagent.runtime;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.AgentThreads;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.server.ServerFastOpen;
import io.tfoagent.runtime.jmx.AgentMBeans;
import java.util.concurrent.TimeUnit;

/**
 * The report thread: every {@code log-interval} seconds the counters line, when it
 * says anything new; and once, off the application's start, the MBeans' registration. The
 * thread belongs to no application ({@link AgentThreads}), and nothing it does can throw out of it.
 */
final class PeriodicReport implements Runnable {
    /**
     * Registering starts the JDK's platform MBeanServer, which loads javax.management and
     * initialises java.util.logging's LogManager: not while the application starts (an
     * application that sets a LogManager of its own at start needs it not initialised before),
     * but at the first counters tick or this long after the agent's start, whichever comes first.
     */
    static final long MBEANS_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AgentLog log;
    private final ServerFastOpen server;
    private final ClientFastOpen client;
    private final NotCovered notCovered;
    private final KernelTfoCounters kernel = new KernelTfoCounters();
    /** 0: no periodic line, only the one at exit. */
    private final long intervalNanos;
    private final long mbeansAfterNanos;
    /** The line last printed, or the state at start; guarded by this. */
    private String last;

    /**
     * Either side may be null when it is off.
     *
     * @param attached the application runs already: the MBeans are registered at once
     */
    PeriodicReport(AgentLog log, ServerFastOpen server, ClientFastOpen client, NotCovered notCovered,
            int intervalSeconds, boolean attached) {
        this.log = log;
        this.server = server;
        this.client = client;
        this.notCovered = notCovered;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        this.mbeansAfterNanos = attached ? 0
                : intervalNanos > 0 ? Math.min(intervalNanos, MBEANS_AFTER_NANOS) : MBEANS_AFTER_NANOS;
    }

    void start() {
        new AgentThreads("tfo-agent-report").newThread(this).start();
    }

    String line() {
        return CountersLine.of(server == null ? null : server.counters().snapshot(),
                client == null ? null : client.counters().snapshot(), notCovered.snapshot(), kernel.sinceStart());
    }

    /** The line at exit, changed or not. */
    synchronized void atExit() {
        last = line();
        log.line(last);
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            kernel.start();
            synchronized (this) {
                last = line(); // the state at start: a line only once something changed
            }
        } catch (Throwable t) {
            // last stays null: the first tick prints a line
        }
        long mbeansAt = start + mbeansAfterNanos;
        long nextLine = start + intervalNanos;
        boolean registered = false;
        // Ends with the JVM (a daemon); without a periodic line, once the MBeans are registered.
        while (intervalNanos > 0 || !registered) {
            // The MBeans come no later than the first line (mbeansAfterNanos <= intervalNanos).
            long next = registered ? nextLine : mbeansAt;
            if (!sleepUntil(next)) {
                return;
            }
            long now = System.nanoTime();
            if (!registered && now - mbeansAt >= 0) {
                registered = true;
                registerMBeans();
            }
            if (intervalNanos > 0 && now - nextLine >= 0) {
                // A tick that came late (a suspended JVM) is not made up for: the next one is an interval away.
                nextLine = Math.max(nextLine + intervalNanos, now + intervalNanos / 2);
                printIfChanged();
            }
        }
    }

    private synchronized void printIfChanged() {
        try {
            String line = line();
            if (!line.equals(last)) { // last is null only when the start failed
                last = line;
                log.line(line);
            }
        } catch (Throwable t) {
            log.once("report", "cannot make the counters line (" + t + "); it stays out until the exit");
        }
    }

    private void registerMBeans() {
        try {
            AgentMBeans.register(server, client, notCovered, kernel);
        } catch (Throwable t) {
            // Another copy of the agent in this JVM has them, or JMX is not there (a trimmed runtime).
            log.line("no MBeans (" + t + "); the counters lines and the exit report are unchanged");
        }
    }

    /** False when the thread is interrupted: nobody does that but to stop it. */
    private static boolean sleepUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }
}
