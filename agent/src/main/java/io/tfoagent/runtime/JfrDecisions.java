package io.tfoagent.runtime;

import io.tfoagent.core.Addresses;
import io.tfoagent.core.AgentThreads;
import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Decisions as {@link DecisionEvent}s, while a recording takes them. The first event object a
 * JVM makes costs 170-220 ms (JFR's event machinery; measured here on both JDKs, with no
 * recording on): that must never be an application's thread, so the event class is loaded on an
 * agent thread once a recorder is initialised ({@link #loadWhenARecordingStarts}); until then,
 * a decision costs one volatile read. Once loaded, while no recording takes the event,
 * {@code shouldCommit()} is false and nothing else happens: no address is formatted.
 */
final class JfrDecisions implements Decisions {
    private static final String JFR_MODULE = "jdk.jfr";
    private static final AgentThreads THREADS = new AgentThreads("tfo-agent-jfr");

    /** Events are made only once the event class is loaded, off the application's threads. */
    private volatile boolean eventLoaded;

    /** JFR events where the JDK has jdk.jfr (a jlink'd runtime may not), else null. */
    static JfrDecisions forThisJvm() {
        return ModuleLayer.boot().findModule(JFR_MODULE).isPresent() ? new JfrDecisions() : null;
    }

    /**
     * On the agent's warm-up thread: the listener is called at once when a recording runs
     * already, else when one starts; either way the event class is loaded on an agent thread.
     */
    void loadWhenARecordingStarts() {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    // Called on the thread that initialised the recorder, which may be the
                    // application's (a library starting a RecordingStream): loaded on the agent's own.
                    THREADS.newThread(JfrDecisions.this::load).start();
                }
            });
        } catch (RuntimeException | LinkageError e) {
            // no events; the connections never notice
        }
    }

    private void load() {
        try {
            new DecisionEvent().shouldCommit();
            eventLoaded = true;
        } catch (RuntimeException | LinkageError e) {
            // no events; the connections never notice
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
