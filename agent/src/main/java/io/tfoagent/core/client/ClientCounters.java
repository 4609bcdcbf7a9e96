package io.tfoagent.core.client;

import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * What client TFO did with each connection, and why the others went without it. A
 * connection's last word ({@link ClientOutcome}) is counted and reported in one place,
 * {@link #decided}; cookieHit, synData and errors count steps on the way.
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
    final LongAdder errors = new LongAdder();

    /** Every decision from now on also goes to {@code to}. */
    public void reportTo(Decisions to) {
        decisions = to;
    }

    void decided(ClientOutcome o, InetSocketAddress destination) {
        LongAdder counter = counterOf(o);
        if (counter != null) {
            counter.increment();
        }
        decisions.decided("client", destination, o.outcome, o.reason, o == ClientOutcome.SYN_DATA_ACKED);
    }

    private LongAdder counterOf(ClientOutcome o) {
        switch (o) {
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
            case SYN_DATA_ACKED:
                return synDataAcked;
            case SYN_DATA_NOT_ACKED:
                return synDataNotAcked;
            default:
                return null;
        }
    }

    public String summary() {
        return "client: " + allowed.sum() + " connects to allowed destinations (skipped: " + notAllowed.sum()
                + " not allowed, " + denied.sum() + " denied, " + serverSpeaksFirst.sum() + " server speaks first, "
                + connectThenClose.sum() + " connect-then-close, " + notReady.sum() + " before the agent was ready, "
                + afterFailure.sum() + " after a failed connect, " + backedOff.sum() + " backed off); cookie "
                + cookieHit.sum() + " hit, " + cookieMiss.sum() + " miss; first write in the SYN " + synData.sum()
                + " (acked " + synDataAcked.sum() + "; " + synDataNotAcked.sum() + " not acked), not replay-safe "
                + notReplaySafe.sum() + ", too large for a timed connect " + tooLargeWithTimeout.sum() + ", read first "
                + readFirst.sum() + ", opened idle " + openedIdle.sum() + ", closed unwritten "
                + closedUnwritten.sum() + "; failed to connect " + failedToConnect.sum() + ", errors " + errors.sum();
    }
}
