package io.tfoagent.core.client;

import java.util.concurrent.atomic.LongAdder;

/** What client TFO did with each connection, and why the others went without it. */
public final class ClientCounters {
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
    /** dry-run=true: first writes that would have ridden in the SYN (given a cookie). */
    final LongAdder wouldRideInSyn = new LongAdder();
    private final boolean dryRun;

    ClientCounters(boolean dryRun) {
        this.dryRun = dryRun;
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
                + closedUnwritten.sum() + "; failed to connect " + failedToConnect.sum() + ", errors " + errors.sum()
                + (dryRun ? "; dry-run (nothing changed on the wire): would have ridden in the SYN "
                        + wouldRideInSyn.sum() : "");
    }
}
