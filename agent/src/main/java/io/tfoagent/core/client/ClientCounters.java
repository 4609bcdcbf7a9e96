package io.tfoagent.core.client;

import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What client TFO did with each connection, and why the others went without it. Each
 * {@link ClientOutcome} is counted, recorded for its destination and reported in one place,
 * {@link #count}; cookieHit, synData, failedToConnect and errors count steps on the way.
 */
public final class ClientCounters {
    private volatile Decisions decisions = Decisions.NONE;
    final LongAdder allowed = new LongAdder();
    final LongAdder notAllowed = new LongAdder();
    final LongAdder denied = new LongAdder();
    final LongAdder serverSpeaksFirst = new LongAdder();
    final LongAdder connectThenClose = new LongAdder();
    final LongAdder notReady = new LongAdder();
    final LongAdder afterFailure = new LongAdder();
    final LongAdder backedOff = new LongAdder();
    final LongAdder cookieHit = new LongAdder();
    final LongAdder cookieMiss = new LongAdder();
    final LongAdder synData = new LongAdder();
    final LongAdder synDataAcked = new LongAdder();
    final LongAdder synDataNotAcked = new LongAdder();
    final LongAdder notReplaySafe = new LongAdder();
    final LongAdder tooLargeWithTimeout = new LongAdder();
    final LongAdder readFirst = new LongAdder();
    final LongAdder openedIdle = new LongAdder();
    final LongAdder closedUnwritten = new LongAdder();
    final LongAdder failedToConnect = new LongAdder();
    final LongAdder reconnected = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** dry-run=true: first writes that would have ridden in the SYN (given a cookie). */
    final LongAdder wouldRideInSyn = new LongAdder();
    final DestinationView destinations = new DestinationView();
    private final boolean dryRun;

    public ClientCounters(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** Every outcome from now on also goes to {@code to}. */
    public void reportTo(Decisions to) {
        decisions = to;
    }

    /**
     * Counts {@code outcome} for a connection to {@code destination}, in total and, when it has
     * an attribute, for the destination; a connection's last word also goes to the decisions.
     */
    void count(ClientOutcome outcome, InetSocketAddress destination) {
        LongAdder counter = adder(outcome);
        if (counter != null) {
            counter.increment();
        }
        if (outcome.attribute() != null) {
            destinations.record(destination, outcome);
        }
        if (outcome.event() != null) {
            decisions.decided("client", destination, outcome.event(), outcome.eventReason(),
                    outcome == ClientOutcome.SAVED);
        }
    }

    private LongAdder adder(ClientOutcome outcome) {
        switch (outcome) {
            case ALLOWED:
                return allowed;
            case NOT_ALLOWED:
                return notAllowed;
            case DENIED:
                return denied;
            case SERVER_SPEAKS_FIRST:
                return serverSpeaksFirst;
            case CONNECT_THEN_CLOSE:
                return connectThenClose;
            case NOT_READY:
                return notReady;
            case AFTER_FAILURE:
                return afterFailure;
            case BACKED_OFF:
                return backedOff;
            case ERROR:
                return errors;
            case NO_COOKIE:
                return cookieMiss;
            case NOT_REPLAY_SAFE:
                return notReplaySafe;
            case TOO_LARGE_WITH_TIMEOUT:
                return tooLargeWithTimeout;
            case READ_FIRST:
                return readFirst;
            case OPENED_IDLE:
                return openedIdle;
            case CLOSED_UNWRITTEN:
                return closedUnwritten;
            case SYN_DATA_NOT_ACKED:
                return synDataNotAcked;
            case RECONNECTED:
                return reconnected;
            case WOULD_RIDE_IN_SYN:
                return wouldRideInSyn;
            case SAVED:
                return synDataAcked;
            default:
                return null; // an event only (see ClientOutcome)
        }
    }

    /**
     * Every counter by its JMX attribute name. Read from the last stage of a connection's life
     * to the first: a connection is counted at a stage only after the stage before, so no stage
     * read here shows more connections than the one before it (SynDataAcked never exceeds
     * Allowed, whatever runs meanwhile).
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        List<ClientOutcome> outcomes = ClientOutcome.withAttributes(); // in the order of a connection's life
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (!outcomes.get(i).opens()) {
                values.put(outcomes.get(i).attribute(), adder(outcomes.get(i)).sum());
            }
        }
        values.put("SynData", synData.sum());
        values.put("CookieHit", cookieHit.sum());
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (outcomes.get(i).opens()) {
                values.put(outcomes.get(i).attribute(), adder(outcomes.get(i)).sum());
            }
        }
        values.put("FailedToConnect", failedToConnect.sum());
        values.put("Errors", errors.sum());
        return values;
    }

    /** One line; with dry-run=true it ends with how many first writes would have ridden in the SYN. */
    public String summary() {
        return "client: " + allowed.sum() + " connects to allowed destinations (skipped: " + notAllowed.sum()
                + " not allowed, " + denied.sum() + " denied, " + serverSpeaksFirst.sum() + " server speaks first, "
                + connectThenClose.sum() + " connect-then-close, " + notReady.sum() + " before the agent was ready, "
                + afterFailure.sum() + " after a failed connect, " + backedOff.sum() + " backed off); cookie "
                + cookieHit.sum() + " hit, " + cookieMiss.sum() + " miss; first write in the SYN " + synData.sum()
                + " (acked " + synDataAcked.sum() + "; " + synDataNotAcked.sum() + " not acked), not replay-safe "
                + notReplaySafe.sum() + ", too large for a timed connect " + tooLargeWithTimeout.sum() + ", read first "
                + readFirst.sum() + ", opened idle " + openedIdle.sum() + ", closed unwritten "
                + closedUnwritten.sum() + "; SYN data reset, reconnected " + reconnected.sum() + "; failed to connect "
                + failedToConnect.sum() + ", errors " + errors.sum()
                + (dryRun ? "; dry-run (nothing changed on the wire): would have ridden in the SYN "
                        + wouldRideInSyn.sum() : "");
    }
}
