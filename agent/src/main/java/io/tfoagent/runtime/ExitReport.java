package io.tfoagent.runtime;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.server.ServerCounters;

/** The counters line at JVM exit: how many connections came in by TFO, and why not the rest. */
final class ExitReport extends Thread {
    private final AgentLog log;
    private final ServerCounters server;

    ExitReport(AgentLog log, ServerCounters server) {
        super("tfo-agent-exit-report");
        this.log = log;
        this.server = server;
    }

    @Override
    public void run() {
        log.line(server.summary());
    }
}
