package io.tfoagent.runtime;

import io.tfoagent.core.Addresses;
import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;

/**
 * Decisions as {@link DecisionEvent}s, while a recording takes them. While none does,
 * {@code shouldCommit()} is false and nothing else happens: no address is formatted, the
 * event object does not escape (the JIT removes it). The event class is loaded at the first
 * decision, not at the agent's start.
 */
final class JfrDecisions implements Decisions {
    private static final String JFR_MODULE = "jdk.jfr";

    /** JFR events where the JDK has jdk.jfr (a jlink'd runtime may not), else none. */
    static Decisions forThisJvm() {
        return ModuleLayer.boot().findModule(JFR_MODULE).isPresent() ? new JfrDecisions() : Decisions.NONE;
    }

    @Override
    public void decided(String side, InetSocketAddress destination, String outcome, String reason, boolean acked) {
        try {
            DecisionEvent event = new DecisionEvent();
            if (event.shouldCommit()) {
                event.side = side;
                event.destination = Addresses.format(destination);
                event.outcome = outcome;
                event.reason = reason;
                event.acked = acked;
                event.commit();
            }
        } catch (RuntimeException | LinkageError e) {
            // A recording that cannot take the event loses it; the connection never notices.
        }
    }
}
