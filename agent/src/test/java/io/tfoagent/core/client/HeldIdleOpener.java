package io.tfoagent.core.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** The idle timer, holding its tasks until the test runs them. */
final class HeldIdleOpener extends IdleOpener {
    private final List<Runnable> pending = new ArrayList<>();

    @Override
    synchronized Future<?> schedule(Runnable task, int delayMillis) {
        pending.add(task);
        return new CompletableFuture<>();
    }

    synchronized int pending() {
        return pending.size();
    }

    synchronized void runPending() {
        for (Runnable task : pending) {
            task.run();
        }
        pending.clear();
    }
}
