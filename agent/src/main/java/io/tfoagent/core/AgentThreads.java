package io.tfoagent.core;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the agent's own, carrying nothing of the thread that happened to need one: no
 * context class loader and no inherited thread-locals, so they keep no redeployed web
 * application's classes alive; daemons, so they never hold the JVM up.
 */
public final class AgentThreads implements ThreadFactory {
    private final String name;

    public AgentThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(null, task, name, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(null);
        return t;
    }
}
