package io.tfoagent.core.client;

/**
 * What became of a client connection, as counted per destination ({@link DestinationView}) and
 * in {@link ClientCounters}. A connection gets one outcome that {@link #opens() opens} it (the
 * agent's decision at connect) and, when that let it defer, at most one more: how its SYN went.
 */
public enum ClientOutcome {
    /** TCP_FASTOPEN_CONNECT set; the outcomes below it say what came of it. */
    ALLOWED("Allowed", null, true),
    NOT_ALLOWED("NotAllowed", "not allowed", true),
    DENIED("Denied", "denied", true),
    SERVER_SPEAKS_FIRST("ServerSpeaksFirst", "server speaks first", true),
    CONNECT_THEN_CLOSE("ConnectThenClose", "connect-then-close", true),
    NOT_READY("NotReady", "before the agent was ready", true),
    AFTER_FAILURE("AfterFailure", "after a failed connect", true),
    BACKED_OFF("BackedOff", "backed off", true),
    /** A full handshake: the kernel had no cookie for the destination (it asked for one), or the connect did not complete at once. */
    NO_COOKIE("CookieMiss", "no cookie yet", false),
    NOT_REPLAY_SAFE("NotReplaySafe", "not replay-safe", false),
    TOO_LARGE_WITH_TIMEOUT("TooLargeWithTimeout", "too large for a timed connect", false),
    READ_FIRST("ReadFirst", "read first", false),
    OPENED_IDLE("OpenedIdle", "opened idle", false),
    CLOSED_UNWRITTEN("ClosedUnwritten", "closed unwritten", false),
    SYN_DATA_NOT_ACKED("SynDataNotAcked", "SYN data not acked", false),
    /** The SYN's data was answered with a reset; the socket was connected again without TFO (ResetRecovery). */
    RECONNECTED("Reconnected", "SYN data reset, reconnected", false),
    /** The kernel says the server acked the data in the SYN: a round trip saved. */
    SAVED("SynDataAcked", null, false);

    private final String attribute;
    private final String reason;
    private final boolean opens;

    ClientOutcome(String attribute, String reason, boolean opens) {
        this.attribute = attribute;
        this.reason = reason;
        this.opens = opens;
    }

    /** The counter's name as a JMX attribute. */
    public String attribute() {
        return attribute;
    }

    /** Why the connection saved no round trip, as the lines say it; null for ALLOWED and SAVED. */
    public String reason() {
        return reason;
    }

    /** Decided at connect: one of these per connection the agent looked at. */
    public boolean opens() {
        return opens;
    }
}
