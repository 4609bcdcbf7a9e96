package io.tfoagent.core.server;

import java.util.concurrent.atomic.LongAdder;

/** What server TFO did, for the exit line and for tests that read it. */
public final class ServerCounters {
    final LongAdder listenersEnabled = new LongAdder();
    final LongAdder listenersSkipped = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder acceptedFastOpen = new LongAdder();
    final LongAdder acceptedSynData = new LongAdder();
    private final boolean dryRun;

    ServerCounters(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /**
     * "server: 2 listeners with TFO (0 skipped by policy, 0 errors); 10 accepted, 9 via TFO, 9 with data in the SYN";
     * with dry-run=true "server: dry-run (nothing changed on the wire): 2 listeners would have TFO (...".
     */
    public String summary() {
        return "server: " + (dryRun ? "dry-run (nothing changed on the wire): " : "") + listenersEnabled.sum()
                + (dryRun ? " listeners would have TFO (" : " listeners with TFO (") + listenersSkipped.sum()
                + " skipped by server-allow/deny, " + listenerErrors.sum() + " errors); " + accepted.sum()
                + " accepted on them, " + acceptedFastOpen.sum() + " via TFO, " + acceptedSynData.sum()
                + " with data in the SYN";
    }
}
