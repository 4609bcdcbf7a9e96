package io.tfoagent.core.client;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The timer that opens deferred non-blocking sockets nobody writes to (a server that speaks
 * first, waited for with OP_READ). One daemon thread, made on first use; it belongs to no
 * application: no context class loader and no inherited thread-locals, so it keeps no
 * redeployed web application's classes alive. Tests replace {@link #schedule} to run the
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
                    t = new ScheduledThreadPoolExecutor(1, new AgentThreads());
                    t.setRemoveOnCancelPolicy(true);
                    timer = t;
                }
            }
        }
        return t;
    }

    /** Threads of the agent's own, carrying nothing of the thread that happened to need one. */
    static final class AgentThreads implements ThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(null, task, "tfo-agent-idle-open", 0, false);
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        }
    }
}
