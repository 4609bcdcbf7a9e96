package io.tfoagent.runtime;

import io.tfoagent.shim.TcpExtCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TFO counters of the kernel's TcpExt ({@code /proc/net/netstat} of this JVM's network
 * namespace), as grown since the agent started. They count every socket of the namespace,
 * not only this JVM's. Null when the file cannot be read (no /proc, a kernel without TcpExt).
 */
public final class KernelTfoCounters {
    static final List<String> NAMES = List.of(TcpExtCounters.ACTIVE, TcpExtCounters.ACTIVE_FAIL,
            TcpExtCounters.PASSIVE, TcpExtCounters.PASSIVE_FAIL, TcpExtCounters.COOKIE_REQUIRED,
            TcpExtCounters.LISTEN_OVERFLOW, TcpExtCounters.BLACKHOLE);

    /** Null until {@link #start} has read them (or when it could not). */
    private volatile TcpExtCounters atStart;
    private volatile boolean started;

    /**
     * Reads the counters now, as the start the deltas count from: on the report thread, since a
     * first read in a fresh JVM costs milliseconds (file and parsing classes) that premain should
     * not. That thread starts before the agent's warm-up is over, and no connect is deferred
     * before then.
     */
    void start() {
        atStart = readOrNull();
        started = true;
    }

    /**
     * Each counter's growth since the start, in {@link #NAMES}' order, from one read; null when
     * unreadable; empty before the start was read (a JVM that ends right after it began).
     */
    public Map<String, Long> sinceStart() {
        if (!started) {
            return Map.of();
        }
        TcpExtCounters atStart = this.atStart;
        TcpExtCounters now = atStart == null ? null : readOrNull();
        if (now == null) {
            return null;
        }
        Map<String, Long> deltas = new LinkedHashMap<>();
        for (String name : NAMES) {
            deltas.put(name, now.get(name) - atStart.get(name));
        }
        return deltas;
    }

    private static TcpExtCounters readOrNull() {
        try {
            return TcpExtCounters.read();
        } catch (Exception e) {
            return null; // the line says "unreadable"; nothing else depends on it
        }
    }
}
