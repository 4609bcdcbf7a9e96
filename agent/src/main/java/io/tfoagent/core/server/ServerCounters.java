package io.tfoagent.core.server;

import io.tfoagent.core.Decisions;
import io.tfoagent.shim.TcpInfo;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What server TFO did, for the exit line and for tests that read it. Each connection accepted
 * on a listener with TFO is counted and reported in one place, {@link #accepted}.
 */
public final class ServerCounters {
    private volatile Decisions decisions = Decisions.NONE;
    final LongAdder listenersEnabled = new LongAdder();
    final LongAdder listenersSkipped = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder acceptedFastOpen = new LongAdder();
    final LongAdder acceptedSynData = new LongAdder();
    private final boolean dryRun;

    public ServerCounters(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** Every accepted connection from now on also goes to {@code to}. */
    public void reportTo(Decisions to) {
        decisions = to;
    }

    /** A connection accepted on {@code listener}, with TFO; {@code info} null when unreadable. */
    void accepted(InetSocketAddress listener, TcpInfo info) {
        accepted.increment();
        boolean child = info != null && info.fastOpenChild();
        boolean data = info != null && info.synData();
        if (child) {
            acceptedFastOpen.increment();
        }
        if (data) {
            acceptedSynData.increment();
        }
        decisions.decided("server", listener, info == null ? "unknown" : child ? "tfo" : "full-handshake",
                info == null ? "TCP_INFO unreadable" : data ? "data in the SYN"
                        : child ? "TFO SYN without data" : "no valid cookie or no data in the SYN", data);
    }

    /**
     * Every counter by its JMX attribute name. An accepted connection is counted as accepted,
     * then via TFO, then with SYN data; read the other way round, no count exceeds the one
     * it is part of.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("AcceptedSynData", acceptedSynData.sum());
        values.put("AcceptedFastOpen", acceptedFastOpen.sum());
        values.put("Accepted", accepted.sum());
        values.put("ListenersEnabled", listenersEnabled.sum());
        values.put("ListenersSkipped", listenersSkipped.sum());
        values.put("ListenerErrors", listenerErrors.sum());
        return values;
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
