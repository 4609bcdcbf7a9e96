package io.tfoagent.core.client;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What TFO cost each destination lately, so that a fault is paid for once, not on every
 * connection (DESIGN.md section 8, hazard 14). Learned from every connection the agent
 * follows:
 * <ul>
 * <li>a deferred connect that failed (refused, reset, unreachable, timed out: its SYN was
 *     never acked) makes the destination <em>suspect</em>: no connect to it is deferred until
 *     one opens again, so that its failure is reported by connect() itself, as without the
 *     agent. If the failed one carried data in its SYN and the next, without, opens, the data
 *     was the trouble (a middlebox that resets SYNs with data): the destination is
 *     <em>backed off</em>;
 * <li>SYN data that cost a retransmitted SYN (a middlebox that drops SYNs with data: the
 *     kernel's bare retransmit a second later gets through) backs the destination off at once;
 *     SYN data the server ignored at no cost (key rotated, server without TFO, a full TFO
 *     queue) backs it off only when it keeps happening ({@link #IGNORED_STRIKES} in a row);
 * <li>backed off: no connect is deferred until the backoff ends; the next one is a probe.
 *     Each backoff in a row is twice the one before, up to the maximum; acked SYN data ends
 *     the streak.
 * </ul>
 * Bounded: the least recently used destinations are forgotten first, which costs only
 * relearning. Thread-safe.
 */
final class DestinationHealth {
    static final int MAX_REMEMBERED = 4096;
    /** SYN data ignored (at no cost) this many times in a row backs a destination off. */
    static final int IGNORED_STRIKES = 3;

    enum Verdict {
        /** Defer: send the first write in the SYN if it is replay-safe. */
        DEFER,
        /** A deferred connect to it failed: connect for real until one opens. */
        SUSPECT,
        /** SYN data cost it: connect for real until the backoff ends. */
        BACKED_OFF
    }

    private final long firstBackoffNanos;
    private final long maxBackoffNanos;
    private final LongSupplier clock;
    private final Map<InetSocketAddress, Record> records = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Record> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** One destination's standing. */
    private static final class Record {
        boolean suspect;
        /** The failed deferred connect had data in its SYN. */
        boolean suspectSynData;
        /** Backoffs in a row; 0 when healthy. */
        int backoffs;
        /** When the current backoff ends (clock nanos); meaningful while backoffs > 0. */
        long backedOffUntil;
        int ignoredInARow;
    }

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    DestinationHealth(long firstBackoffMillis, long maxBackoffMillis, LongSupplier clock) {
        this.firstBackoffNanos = firstBackoffMillis * 1_000_000L;
        this.maxBackoffNanos = Math.max(firstBackoffMillis, maxBackoffMillis) * 1_000_000L;
        this.clock = clock;
    }

    synchronized Verdict verdict(InetSocketAddress destination) {
        Record r = records.get(destination);
        if (r == null) {
            return Verdict.DEFER;
        }
        if (r.suspect) {
            return Verdict.SUSPECT;
        }
        if (r.backoffs > 0 && clock.getAsLong() - r.backedOffUntil < 0) {
            return Verdict.BACKED_OFF;
        }
        return Verdict.DEFER; // healthy, or the backoff is over: this connect is the probe
    }

    /** What {@link #verdict} would say, for the destination view: null when healthy or unknown. */
    synchronized String standing(InetSocketAddress destination) {
        Record r = records.get(destination);
        if (r == null) {
            return null;
        }
        if (r.suspect) {
            return "suspect: a deferred connect failed, connects go plain until one opens";
        }
        long left = r.backedOffUntil - clock.getAsLong();
        if (r.backoffs > 0 && left > 0) {
            return "backed off (" + r.backoffs + " in a row), " + (left + 999_999_999L) / 1_000_000_000L + " s left";
        }
        return r.backoffs > 0 ? "backoff over (" + r.backoffs + " in a row): the next connect probes" : null;
    }

    /** A deferred connect's SYN was never acked. */
    synchronized void deferredConnectFailed(InetSocketAddress destination, boolean synData) {
        Record r = record(destination);
        r.suspect = true;
        r.suspectSynData = synData;
    }

    /**
     * A plain connect to a suspect destination failed too: the outage is real (the server is
     * down), so when it opens again, TFO is not what failed before.
     */
    synchronized void plainConnectFailed(InetSocketAddress destination) {
        Record r = records.get(destination);
        if (r != null && r.suspect) {
            r.suspectSynData = false;
        }
    }

    /** A connection to it completed its handshake without data in its SYN (normal, or bare SYN). */
    synchronized void opened(InetSocketAddress destination) {
        Record r = records.get(destination);
        if (r == null || !r.suspect) {
            return;
        }
        r.suspect = false;
        if (r.suspectSynData) {
            backOff(r); // the destination answers, but not SYNs that carry data
        }
    }

    /**
     * SYN data was answered with a reset (or an ICMP error) and the same connection, connected
     * again without TFO, opened: the data was the trouble.
     */
    synchronized void synDataReset(InetSocketAddress destination) {
        Record r = record(destination);
        r.suspect = false;
        backOff(r);
    }

    /** The server acked what rode in the SYN. */
    synchronized void synDataAcked(InetSocketAddress destination) {
        records.remove(destination); // healthy is the default: nothing to remember
    }

    /**
     * The handshake completed but the SYN's data was not acked.
     *
     * @param synRetransmitted the SYN had to be sent again (it cost a retransmission timeout)
     */
    synchronized void synDataNotAcked(InetSocketAddress destination, boolean synRetransmitted) {
        Record r = record(destination);
        r.suspect = false;
        if (synRetransmitted || ++r.ignoredInARow >= IGNORED_STRIKES) {
            backOff(r);
        }
    }

    private void backOff(Record r) {
        long backoff = firstBackoffNanos;
        for (int i = 0; i < r.backoffs && backoff < maxBackoffNanos; i++) {
            backoff *= 2;
        }
        r.backoffs++;
        r.ignoredInARow = 0;
        r.backedOffUntil = clock.getAsLong() + Math.min(backoff, maxBackoffNanos);
    }

    private Record record(InetSocketAddress destination) {
        return records.computeIfAbsent(destination, d -> new Record());
    }
}
