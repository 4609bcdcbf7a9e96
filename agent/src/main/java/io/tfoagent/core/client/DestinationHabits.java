package io.tfoagent.core.client;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the application's earlier connections to each destination showed: who speaks first,
 * or that it connects and closes without a word (a health check). Learned only from
 * connections that opened (a failed connect shows nothing about the protocol: its first
 * act may have been the read that met the failure), and from connect-then-close. The
 * cautious habits expire after {@link #CAUTIOUS_HABIT_TTL_MILLIS} and are learned again, so
 * that nothing learned once turns TFO off for a destination for the JVM's life.
 */
final class DestinationHabits {
    /** Bounded; forgotten all at once when full, which only costs relearning. */
    private static final int MAX_REMEMBERED = 4096;
    static final long CAUTIOUS_HABIT_TTL_MILLIS = 10 * 60 * 1000;

    enum Habit {
        /** The client writes first: deferral pays off; a late first write is waited for longer. */
        CLIENT_FIRST,
        /** The client reads first: no deferral, the server must be reached at once. */
        SERVER_FIRST,
        /** Connects and closes: a deferred connect would tell it "up" without asking the host. */
        CONNECT_THEN_CLOSE
    }

    private record Learned(Habit habit, long atNanos) {}

    private final Map<InetSocketAddress, Learned> habits = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    DestinationHabits(LongSupplier clock) {
        this.clock = clock;
    }

    /** The destination's habit, or null when unknown (or a cautious one that expired). */
    Habit of(InetSocketAddress destination) {
        Learned learned = habits.get(destination);
        if (learned == null) {
            return null;
        }
        if (learned.habit != Habit.CLIENT_FIRST
                && clock.getAsLong() - learned.atNanos > CAUTIOUS_HABIT_TTL_MILLIS * 1_000_000L) {
            habits.remove(destination, learned);
            return null;
        }
        return learned.habit;
    }

    /**
     * Records what a connection showed. The cautious habits stick until they expire: a
     * destination that was checked by connect-then-close, or spoke first, is not deferred
     * again because another connection wrote first.
     */
    void learn(InetSocketAddress destination, Habit habit) {
        if (habits.size() >= MAX_REMEMBERED) {
            habits.clear();
        }
        Learned now = new Learned(habit, clock.getAsLong());
        habits.merge(destination, now, (old, learned) -> old.habit == Habit.CLIENT_FIRST ? learned : old);
    }
}
