package io.tfoagent.runtime;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.server.ServerFastOpen;

/** The counters line at JVM exit: how many connections came in by TFO, and why not the rest. */
final class ExitReport extends Thread {
    /** How long the exit waits for lines still on their way to the application's logging (log=system-logger). */
    static final long DRAIN_MILLIS = 2000;
    private final AgentLog log;
    private final ServerFastOpen server;
    private final ClientFastOpen client;

    /** Either side may be null when it is off. */
    ExitReport(AgentLog log, ServerFastOpen server, ClientFastOpen client) {
        super("tfo-agent-exit-report");
        this.log = log;
        this.server = server;
        this.client = client;
    }

    @Override
    public void run() {
        if (server != null) {
            log.line(server.counters().summary());
        }
        if (client != null) {
            log.line(client.counters().summary());
        }
        log.drain(DRAIN_MILLIS);
    }
}
