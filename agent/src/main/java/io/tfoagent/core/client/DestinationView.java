package io.tfoagent.core.client;

import io.tfoagent.core.Addresses;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The client's connections by destination: how many, how many saved a round trip, and why the
 * others did not. Bounded: at most {@link #MAX_KEPT} destinations; a new one, when that many
 * are kept, takes the place of the one with the fewest connections (so the top destinations
 * stay, and a stream of one-off destinations shares the last place). Thread-safe.
 */
public final class DestinationView {
    public static final int MAX_KEPT = 256;

    private final Map<InetSocketAddress, long[]> kept = new HashMap<>();

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
        synchronized (kept) {
            long[] counts = kept.get(destination);
            if (counts == null) {
                if (!outcome.opens()) {
                    return; // its connection was counted before the destination lost its place
                }
                if (kept.size() >= MAX_KEPT) {
                    forgetLeastUsed();
                }
                counts = new long[ClientOutcome.values().length];
                kept.put(destination, counts);
            }
            counts[outcome.ordinal()]++;
        }
    }

    /** A scan of at most MAX_KEPT entries, only when a new destination comes to a full view. */
    private void forgetLeastUsed() {
        InetSocketAddress least = null;
        long fewest = Long.MAX_VALUE;
        for (Map.Entry<InetSocketAddress, long[]> e : kept.entrySet()) {
            long n = connections(e.getValue());
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
        Map<InetSocketAddress, long[]> copy = new HashMap<>();
        synchronized (kept) {
            kept.forEach((d, counts) -> copy.put(d, counts.clone()));
        }
        List<Row> rows = new ArrayList<>();
        copy.forEach((d, counts) -> rows.add(row(d, counts, standing.apply(d))));
        rows.sort(Comparator.comparingLong(Row::connections).reversed().thenComparing(Row::destination));
        return rows.subList(0, Math.min(top, rows.size()));
    }

    private static Row row(InetSocketAddress destination, long[] counts, String standing) {
        ClientOutcome main = null;
        for (ClientOutcome o : ClientOutcome.values()) {
            if (o.reason() != null && counts[o.ordinal()] > 0 && (main == null || counts[o.ordinal()] > counts[main.ordinal()])) {
                main = o;
            }
        }
        return new Row(Addresses.format(destination), connections(counts), counts[ClientOutcome.SAVED.ordinal()],
                main == null ? null : main.reason(), main == null ? 0 : counts[main.ordinal()], standing);
    }

    private static long connections(long[] counts) {
        long n = 0;
        for (ClientOutcome o : ClientOutcome.values()) {
            if (o.opens()) {
                n += counts[o.ordinal()];
            }
        }
        return n;
    }
}
