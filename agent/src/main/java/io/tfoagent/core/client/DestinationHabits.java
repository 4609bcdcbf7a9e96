package io.tfoagent.core.client;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the application's earlier connections to each destination showed: who speaks first,
 * or that it connects and closes without a word (a health check). Learned from every
 * connection's first operation, deferred or not, so by the time a cookie is cached for a
 * destination the agent usually knows how to treat it.
 */
final class DestinationHabits {
    /** Bounded; forgotten all at once when full, which only costs relearning. */
    private static final int MAX_REMEMBERED = 4096;

    enum Habit {
        /** The client writes first: deferral pays off; a late first write is waited for longer. */
        CLIENT_FIRST,
        /** The client reads first: no deferral, the server must be reached at once. */
        SERVER_FIRST,
        /** Connects and closes: a deferred connect would tell it "up" without asking the host. */
        CONNECT_THEN_CLOSE
    }

    private final Map<InetSocketAddress, Habit> habits = new ConcurrentHashMap<>();

    Habit of(InetSocketAddress destination) {
        return habits.get(destination);
    }

    /** Whether connects to the destination may be deferred at all. */
    boolean mayDefer(InetSocketAddress destination) {
        Habit habit = habits.get(destination);
        return habit == null || habit == Habit.CLIENT_FIRST;
    }

    /**
     * Records what a connection showed. The cautious habits stick: a destination that was
     * once checked by connect-then-close, or spoke first, is not deferred again because
     * another connection wrote first.
     */
    void learn(InetSocketAddress destination, Habit habit) {
        if (habits.size() >= MAX_REMEMBERED) {
            habits.clear();
        }
        habits.merge(destination, habit, (old, now) -> old == Habit.CLIENT_FIRST ? now : old);
    }
}
