package io.tfoagent.core.client;

/**
 * The last word on TFO for one client connection: what it got and why. Each connection gets
 * exactly one, through {@link ClientCounters#decided}, which counts it and reports it.
 */
enum ClientOutcome {
    NOT_ALLOWED(Outcome.SKIPPED, "not allowed"),
    DENIED(Outcome.SKIPPED, "denied"),
    SERVER_SPEAKS_FIRST(Outcome.SKIPPED, "server speaks first"),
    CONNECT_THEN_CLOSE(Outcome.SKIPPED, "connect-then-close"),
    NOT_READY(Outcome.SKIPPED, "before the agent was ready"),
    AFTER_FAILURE(Outcome.SKIPPED, "after a failed connect"),
    BACKED_OFF(Outcome.SKIPPED, "backed off"),
    ERROR(Outcome.SKIPPED, "agent error"),
    NO_COOKIE(Outcome.FULL_HANDSHAKE, "no cookie yet"),
    NOT_REPLAY_SAFE(Outcome.BARE_SYN, "not replay-safe"),
    TOO_LARGE_WITH_TIMEOUT(Outcome.BARE_SYN, "too large for a timed connect"),
    READ_FIRST(Outcome.BARE_SYN, "read first"),
    OPENED_IDLE(Outcome.BARE_SYN, "opened idle"),
    CLOSED_UNWRITTEN(Outcome.BARE_SYN, "closed unwritten"),
    SYN_DATA_ACKED(Outcome.SYN_DATA, "acked"),
    SYN_DATA_NOT_ACKED(Outcome.SYN_DATA, "not acked"),
    /** No counter of its own: the failed connect is counted by ConnectFailures. */
    SYN_DATA_CONNECT_FAILED(Outcome.SYN_DATA, "connect failed"),
    /** Closed (or let go) before the kernel said whether the SYN's data was acked; no counter. */
    SYN_DATA_UNSETTLED(Outcome.SYN_DATA, "closed before the handshake ended");

    /** The event's outcome words. */
    static final class Outcome {
        static final String SKIPPED = "skipped";
        static final String FULL_HANDSHAKE = "full-handshake";
        static final String BARE_SYN = "bare-syn";
        static final String SYN_DATA = "syn-data";

        private Outcome() {}
    }

    final String outcome;
    final String reason;

    ClientOutcome(String outcome, String reason) {
        this.outcome = outcome;
        this.reason = reason;
    }
}
