package io.tfoagent.core.client;

import io.tfoagent.core.policy.DestinationPolicy;
import java.net.InetSocketAddress;

/**
 * Whether a connect may ask the kernel to defer its SYN: the operator's destination policy
 * first, then what earlier connections to the destination showed. Counts every refusal
 * with its reason.
 */
final class ConnectAdmission {
    private final DestinationPolicy policy;
    private final DestinationHabits habits;
    private final ClientCounters counters;

    ConnectAdmission(DestinationPolicy policy, DestinationHabits habits, ClientCounters counters) {
        this.policy = policy;
        this.habits = habits;
        this.counters = counters;
    }

    boolean mayDefer(InetSocketAddress remote) {
        switch (policy.decide(remote)) {
            case NOT_ALLOWED:
                counters.count(ClientOutcome.NOT_ALLOWED, remote);
                return false;
            case DENIED:
                counters.count(ClientOutcome.DENIED, remote);
                return false;
            case SERVER_SPEAKS_FIRST:
                counters.count(ClientOutcome.SERVER_SPEAKS_FIRST, remote);
                return false;
            default:
                break;
        }
        DestinationHabits.Habit habit = habits.of(remote);
        if (habit == DestinationHabits.Habit.CONNECT_THEN_CLOSE) {
            counters.count(ClientOutcome.CONNECT_THEN_CLOSE, remote);
            return false;
        }
        if (habit == DestinationHabits.Habit.SERVER_FIRST) {
            counters.count(ClientOutcome.SERVER_SPEAKS_FIRST, remote);
            return false;
        }
        return true;
    }

    /** Whether the operator marked the destination's protocol replay-safe whatever the bytes. */
    boolean trusted(InetSocketAddress remote) {
        return policy.trusted(DestinationPolicy.hostNameOf(remote), remote.getAddress(), remote.getPort());
    }
}
