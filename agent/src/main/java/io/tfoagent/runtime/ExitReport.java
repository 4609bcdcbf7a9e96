package io.tfoagent.runtime;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.client.DestinationView;
import io.tfoagent.core.server.ServerFastOpen;

/**
 * The lines at JVM exit: each side's counters in full, how many sockets went through paths the
 * agent does not handle, the counters line, and the top destinations by connections.
 */
final class ExitReport extends Thread {
    /** Destinations named at exit; {@code status PID} and JMX show every one kept. */
    static final int TOP_DESTINATIONS = 10;
    static final String DESTINATION = "destination ";
    /** How long the exit waits for lines still on their way to the application's logging (log=system-logger). */
    static final long DRAIN_MILLIS = 2000;

    private final AgentLog log;
    private final ServerFastOpen server;
    private final ClientFastOpen client;
    private final NotCovered notCovered;
    private final PeriodicReport report;

    /** Either side may be null when it is off. */
    ExitReport(AgentLog log, ServerFastOpen server, ClientFastOpen client, NotCovered notCovered,
            PeriodicReport report) {
        super("tfo-agent-exit-report");
        this.log = log;
        this.server = server;
        this.client = client;
        this.notCovered = notCovered;
        this.report = report;
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
        report.atExit();
        if (client != null) {
            for (DestinationView.Row row : client.destinations(TOP_DESTINATIONS)) {
                log.line(DESTINATION + row.line());
            }
        }
        log.drain(DRAIN_MILLIS);
    }
}
