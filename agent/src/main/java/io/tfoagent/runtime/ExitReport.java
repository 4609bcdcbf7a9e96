package io.tfoagent.runtime;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.server.ServerFastOpen;

/**
 * The counters lines at JVM exit: how many connections came in by TFO, why not the rest, and how
 * many sockets went through paths the agent does not handle.
 */
final class ExitReport extends Thread {
    private final AgentLog log;
    private final ServerFastOpen server;
    private final ClientFastOpen client;
    private final NotCovered notCovered;

    /** Either side may be null when it is off. */
    ExitReport(AgentLog log, ServerFastOpen server, ClientFastOpen client, NotCovered notCovered) {
        super("tfo-agent-exit-report");
        this.log = log;
        this.server = server;
        this.client = client;
        this.notCovered = notCovered;
    }

    @Override
    public void run() {
        if (server != null) {
            log.line(server.counters().summary());
        }
        if (client != null) {
            log.line(client.counters().summary());
        }
        log.line(notCovered.summary());
    }
}
