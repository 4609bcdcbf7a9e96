package io.tfoagent.core.client;

import io.tfoagent.core.AgentThreads;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer that opens deferred non-blocking sockets nobody writes to (a server that speaks
 * first, waited for with OP_READ). One daemon thread, made on first use, that belongs to
 * no application ({@link AgentThreads}). Tests replace {@link #schedule} to run the
 * timer's task at a moment of their choosing.
 */
class IdleOpener {
    private volatile ScheduledThreadPoolExecutor timer;

    Future<?> schedule(Runnable task, int delayMillis) {
        return timer().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = new ScheduledThreadPoolExecutor(1, new AgentThreads("tfo-agent-idle-open"));
                    t.setRemoveOnCancelPolicy(true);
                    timer = t;
                }
            }
        }
        return t;
    }
}
