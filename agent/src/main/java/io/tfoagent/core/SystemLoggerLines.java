package io.tfoagent.core;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code log=system-logger}: the agent's lines go to {@code System.getLogger("io.tfoagent")} at
 * INFO, so the application's logging (JUL, or whatever its {@code System.LoggerFinder} bridges
 * to) gets them. They are handed over by a thread of the agent's own, {@value #THREAD}:
 *
 * <ul>
 * <li>a line can be said from inside the JDK's socket code (a listen, a connect, a first write),
 *     where the caller may hold the JDK's or the agent's locks; the application's logging, called
 *     from there, could open a socket of its own or wait for a lock the caller's peers hold;
 * <li>the logger is looked up on that thread when the first line comes, never in premain's own
 *     call: the lookup loads the application's LoggerFinder, which may set up its logging.
 * </ul>
 *
 * <p>Invariant: {@link #offer} never blocks and never calls into the application; at most
 * {@value #MAX_QUEUED} lines wait, the rest are counted and said as one line when there is room.
 */
final class SystemLoggerLines implements Runnable {
    static final String LOGGER = "io.tfoagent";
    static final String THREAD = "tfo-agent-log";
    static final int MAX_QUEUED = 1000;

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong dropped = new AtomicLong();
    /** Lines taken from the queue and not yet handed to the logger: what {@link #drain} waits for too. */
    private final AtomicLong inHand = new AtomicLong();
    private final PrintStream stderr;
    private final Object startLock = new Object();
    private Thread thread;

    SystemLoggerLines(PrintStream stderr) {
        this.stderr = stderr;
    }

    /** Queues one printable line (without the prefix: the logger's name says whose it is). */
    void offer(String line) {
        inHand.incrementAndGet();
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
            handedOver();
        }
        startOnce();
    }

    /** Waits up to {@code millis} until every queued line was handed over; false when some were still waiting. */
    boolean drain(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (inHand) {
            while (inHand.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                inHand.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private void startOnce() {
        synchronized (startLock) {
            if (thread == null) {
                thread = new AgentThreads(THREAD).newThread(this); // no caller's class loader or thread locals
                thread.start();
            }
        }
    }

    @Override
    public void run() {
        System.Logger logger;
        try {
            logger = System.getLogger(LOGGER);
        } catch (Throwable t) {
            // A LoggerFinder that fails: the lines are not lost, they go where log=stderr sends them.
            stderr.println(AgentLog.PREFIX + Printable.line("cannot use System.Logger (" + t + "); logging to stderr"));
            logger = null;
        }
        while (true) {
            String line;
            try {
                line = queue.take();
            } catch (InterruptedException e) {
                return; // only at JVM exit: nobody else holds this thread
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                say(logger, lost + " agent lines dropped (the application's logging did not keep up)");
            }
            say(logger, line);
            handedOver();
        }
    }

    /** One line less on its way: {@link #drain} returns once none is left. */
    private void handedOver() {
        synchronized (inHand) {
            if (inHand.decrementAndGet() == 0) {
                inHand.notifyAll();
            }
        }
    }

    private void say(System.Logger logger, String line) {
        if (logger != null) {
            try {
                logger.log(System.Logger.Level.INFO, line);
                return;
            } catch (Throwable t) {
                // the application's handler failed on it: stderr, as for a LoggerFinder that fails
            }
        }
        stderr.println(AgentLog.PREFIX + line);
    }
}
