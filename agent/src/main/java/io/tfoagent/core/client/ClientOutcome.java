package io.tfoagent.core.client;

import java.util.Arrays;
import java.util.List;

/**
 * What became of a client connection, as counted in {@link ClientCounters}, per destination
 * ({@link DestinationView}) and as the JFR decision event: all three through
 * {@link ClientCounters#count}. A connection gets one outcome that {@link #opens() opens} it
 * (the agent's decision at connect) and, when that let it defer, at most one more: how its
 * SYN went. Every outcome but {@link #ALLOWED} is the connection's last word, its event.
 */
public enum ClientOutcome {
    /** TCP_FASTOPEN_CONNECT set; the outcomes below it say what came of it (so no event of its own). */
    ALLOWED("Allowed", null, true, null),
    NOT_ALLOWED("NotAllowed", "not allowed", true, Event.SKIPPED),
    DENIED("Denied", "denied", true, Event.SKIPPED),
    SERVER_SPEAKS_FIRST("ServerSpeaksFirst", "server speaks first", true, Event.SKIPPED),
    CONNECT_THEN_CLOSE("ConnectThenClose", "connect-then-close", true, Event.SKIPPED),
    NOT_READY("NotReady", "before the agent was ready", true, Event.SKIPPED),
    AFTER_FAILURE("AfterFailure", "after a failed connect", true, Event.SKIPPED),
    BACKED_OFF("BackedOff", "backed off", true, Event.SKIPPED),
    /**
     * TCP_FASTOPEN_CONNECT could not be set. No attribute of its own: counted among Errors,
     * which also counts the agent's failures on a connection's way.
     */
    ERROR(null, "agent error", true, Event.SKIPPED),
    /** A full handshake: the kernel had no cookie for the destination (it asked for one), or the connect did not complete at once. */
    NO_COOKIE("CookieMiss", "no cookie yet", false, Event.FULL_HANDSHAKE),
    NOT_REPLAY_SAFE("NotReplaySafe", "not replay-safe", false, Event.BARE_SYN),
    TOO_LARGE_WITH_TIMEOUT("TooLargeWithTimeout", "too large for a timed connect", false, Event.BARE_SYN),
    READ_FIRST("ReadFirst", "read first", false, Event.BARE_SYN),
    OPENED_IDLE("OpenedIdle", "opened idle", false, Event.BARE_SYN),
    CLOSED_UNWRITTEN("ClosedUnwritten", "closed unwritten", false, Event.BARE_SYN),
    SYN_DATA_NOT_ACKED("SynDataNotAcked", "SYN data not acked", false, Event.SYN_DATA),
    /** The SYN's data was answered with a reset; the socket was connected again without TFO (ResetRecovery). */
    RECONNECTED("Reconnected", "SYN data reset, reconnected", false, Event.SYN_DATA),
    /**
     * dry-run=true: a first write that a real run would have put in the SYN (given a cookie);
     * the connection handshook as without the agent, so no round trip was saved.
     */
    WOULD_RIDE_IN_SYN("WouldRideInSyn", "would have ridden in the SYN", false, Event.DRY_RUN),
    /** The kernel says the server acked the data in the SYN: a round trip saved. */
    SAVED("SynDataAcked", null, false, Event.SYN_DATA),
    /** Data rode in the SYN and the connect failed: no attribute, ConnectFailures counts the failure. */
    SYN_DATA_CONNECT_FAILED(null, "connect failed", false, Event.SYN_DATA),
    /** Closed (or let go) before the kernel said whether the SYN's data was acked: no attribute. */
    SYN_DATA_UNSETTLED(null, "closed before the handshake ended", false, Event.SYN_DATA);

    /** The event's outcome words. */
    static final class Event {
        static final String SKIPPED = "skipped";
        static final String FULL_HANDSHAKE = "full-handshake";
        static final String BARE_SYN = "bare-syn";
        static final String SYN_DATA = "syn-data";
        static final String DRY_RUN = "dry-run";

        private Event() {}
    }

    private static final List<ClientOutcome> WITH_ATTRIBUTES =
            Arrays.stream(values()).filter(o -> o.attribute != null).toList();

    private final String attribute;
    private final String reason;
    private final boolean opens;
    private final String event;

    ClientOutcome(String attribute, String reason, boolean opens, String event) {
        this.attribute = attribute;
        this.reason = reason;
        this.opens = opens;
        this.event = event;
    }

    /**
     * The outcomes with a counter of their own, an attribute, and a column in the destination
     * view, in the order of a connection's life.
     */
    public static List<ClientOutcome> withAttributes() {
        return WITH_ATTRIBUTES;
    }

    /** The counter's name as a JMX attribute; null for an outcome seen only as an event. */
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

    /** The decision event's outcome word; null for ALLOWED, which is followed by the connection's last word. */
    String event() {
        return event;
    }

    /** The decision event's reason: {@link #reason()}, and for SAVED what the kernel said. */
    String eventReason() {
        return this == SAVED ? "SYN data acked" : reason;
    }
}
