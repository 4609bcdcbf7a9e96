package io.tfoagent.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One connection's TFO outcome, as JFR records it. Loaded only through {@link JfrDecisions},
 * which only a JVM that has the jdk.jfr module creates. No stack trace: the decision's
 * place in the agent says nothing to whoever reads the recording, and taking it costs.
 */
@Name("io.tfoagent.Decision")
@Label("TFO Decision")
@Category("tfo-agent")
@Description("What TCP Fast Open did for one connection, and why")
@StackTrace(false)
final class DecisionEvent extends Event {
    @Label("Side")
    @Description("client or server")
    String side;

    @Label("Destination")
    @Description("The client's destination, or the server's listener address")
    String destination;

    @Label("Outcome")
    @Description("skipped, full-handshake, bare-syn or syn-data (client); tfo, full-handshake (server)")
    String outcome;

    @Label("Reason")
    String reason;

    @Label("Acked")
    @Description("Data rode in the SYN and the other end took it")
    boolean acked;
}
