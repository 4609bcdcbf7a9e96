package io.tfoagent.it.semantics;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds a blocking call that has no timeout of its own (a channel read, transferTo): if it is
 * still running when the time is up, the channel is closed under it, which makes the call throw;
 * {@link #fired()} then tells a hang from a real error.
 */
public final class Watchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "watchdog");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> task;

    private Watchdog(Closeable target, long millis) {
        task = TIMER.schedule(() -> {
            fired.set(true);
            try {
                target.close();
            } catch (IOException e) {
                // closed is closed
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    public static Watchdog closeAfter(Closeable target, long millis) {
        return new Watchdog(target, millis);
    }

    public boolean fired() {
        return fired.get();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
