package io.tfoagent.core.client;

/**
 * Whether a new connection's first write may ride in the SYN. A duplicated SYN can hand
 * the data to the server a second time, so only data that is harmless twice may go.
 */
public enum FirstWriteVerdict {
    /** Harmless if the server sees it twice: it may go in the SYN. */
    REPLAY_SAFE("replay-safe"),
    /** Not known to be harmless twice: it must follow a bare SYN. */
    NOT_REPLAY_SAFE("not replay-safe");

    private final String reason;

    FirstWriteVerdict(String reason) {
        this.reason = reason;
    }

    /** For counters and log lines. */
    public String reason() {
        return reason;
    }
}
