package io.tfoagent.core.client;

import io.tfoagent.core.Addresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * The client's connections by destination: how many, how many saved a round trip, and why the
 * others did not. Bounded: at most {@link #MAX_KEPT} destinations; a new one, when that many
 * are kept, takes the place of the one with the fewest connections (so the top destinations
 * stay, and a stream of one-off destinations shares the last place). Thread-safe.
 */
public final class DestinationView {
    public static final int MAX_KEPT = 256;

    private static final ClientOutcome[] OUTCOMES = ClientOutcome.values();

    /**
     * Counts by outcome ordinal. Read and counted without a lock (every connect of the JVM counts
     * here); only a new destination's admission is serialised. A count that lands in an array
     * evicted that moment is lost: the view is bounded, its least used places are approximate.
     */
    private final Map<InetSocketAddress, AtomicLongArray> kept = new ConcurrentHashMap<>();

    /** One destination as shown: {@code standing} is its backoff state, null when healthy. */
    public record Row(String destination, long connections, long saved, String mainMiss, long mainMissCount,
            String standing) {
        /** The share of connections that saved a round trip, in whole percent (0 for none). */
        public long percentSaved() {
            return connections == 0 ? 0 : saved * 100 / connections;
        }

        /** "198.18.0.2:80: 20 connections, 19 saved a round trip (95%), missed mostly: no cookie yet (1)". */
        public String line() {
            return destination + ": " + connections + " connections, " + saved + " saved a round trip ("
                    + percentSaved() + "%)" + (mainMiss == null ? "" : ", missed mostly: " + mainMiss + " ("
                    + mainMissCount + ")") + (standing == null ? "" : ", " + standing);
        }
    }

    void record(InetSocketAddress destination, ClientOutcome outcome) {
        if (destination == null) {
            return;
        }
        AtomicLongArray counts = kept.get(destination);
        if (counts == null) {
            if (!outcome.opens()) {
                return; // its connection was counted before the destination lost its place
            }
            counts = admit(destination);
        }
        counts.incrementAndGet(outcome.ordinal());
    }

    private synchronized AtomicLongArray admit(InetSocketAddress destination) {
        AtomicLongArray counts = kept.get(destination);
        if (counts == null) {
            if (kept.size() >= MAX_KEPT) {
                forgetLeastUsed();
            }
            counts = new AtomicLongArray(OUTCOMES.length);
            kept.put(destination, counts);
        }
        return counts;
    }

    /** A scan of at most MAX_KEPT entries, only when a new destination comes to a full view. */
    private void forgetLeastUsed() {
        InetSocketAddress least = null;
        long fewest = Long.MAX_VALUE;
        for (Map.Entry<InetSocketAddress, AtomicLongArray> e : kept.entrySet()) {
            long n = connections(snapshot(e.getValue()));
            if (n < fewest) {
                fewest = n;
                least = e.getKey();
            }
        }
        kept.remove(least);
    }

    /**
     * The {@code top} destinations with the most connections, most first.
     *
     * @param standing a destination's backoff state, null when healthy
     */
    public List<Row> top(int top, Function<InetSocketAddress, String> standing) {
        List<Row> rows = new ArrayList<>();
        kept.forEach((d, counts) -> rows.add(row(d, snapshot(counts), standing.apply(d))));
        rows.sort(Comparator.comparingLong(Row::connections).reversed().thenComparing(Row::destination));
        return rows.subList(0, Math.min(top, rows.size()));
    }

    private static Row row(InetSocketAddress destination, long[] counts, String standing) {
        ClientOutcome main = null;
        for (ClientOutcome o : OUTCOMES) {
            if (o.reason() != null && counts[o.ordinal()] > 0 && (main == null || counts[o.ordinal()] > counts[main.ordinal()])) {
                main = o;
            }
        }
        return new Row(Addresses.format(destination), connections(counts), counts[ClientOutcome.SAVED.ordinal()],
                main == null ? null : main.reason(), main == null ? 0 : counts[main.ordinal()], standing);
    }

    private static long[] snapshot(AtomicLongArray counts) {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    private static long connections(long[] counts) {
        long n = 0;
        for (ClientOutcome o : OUTCOMES) {
            if (o.opens()) {
                n += counts[o.ordinal()];
            }
        }
        return n;
    }
}
