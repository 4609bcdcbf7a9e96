package io.tfoagent.runtime;

import io.tfoagent.core.Addresses;
import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Decisions as {@link DecisionEvent}s, while a recording takes them. The first event object a
 * JVM makes costs 170-220 ms (JFR's event machinery; measured here on both JDKs, with no
 * recording on): that must never be an application's thread, so the event class is loaded by
 * the agent's warm-up when a recording runs from the start, or by the thread that starts a
 * later one ({@link #loadWhenARecordingStarts}); until then, a decision costs one volatile read. Once loaded, while no recording takes the event,
 * {@code shouldCommit()} is false and nothing else happens: no address is formatted.
 */
final class JfrDecisions implements Decisions {
    private static final String JFR_MODULE = "jdk.jfr";

    /** Events are made only once the event class is loaded, off the application's threads. */
    private volatile boolean eventLoaded;

    /** JFR events where the JDK has jdk.jfr (a jlink'd runtime may not), else null. */
    static JfrDecisions forThisJvm() {
        return ModuleLayer.boot().findModule(JFR_MODULE).isPresent() ? new JfrDecisions() : null;
    }

    /**
     * On the agent's warm-up thread: loads the event class now when a recording runs already
     * (the listener is called at once), else on the thread that starts one later.
     */
    void loadWhenARecordingStarts() {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    load();
                }
            });
        } catch (RuntimeException | LinkageError e) {
            // no events; the connections never notice
        }
    }

    private void load() {
        if (!eventLoaded) {
            new DecisionEvent().shouldCommit();
            eventLoaded = true;
        }
    }

    @Override
    public void decided(String side, InetSocketAddress destination, String outcome, String reason, boolean acked) {
        if (!eventLoaded) {
            return;
        }
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
