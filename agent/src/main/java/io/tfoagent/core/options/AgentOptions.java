package io.tfoagent.core.options;

import io.tfoagent.core.policy.ListenerPolicy;

/** The parsed, validated options; see {@link OptionsParser} for the syntax. */
public final class AgentOptions {
    /** {@code qlen} when unset: use each listener's own backlog. */
    public static final int QLEN_FROM_BACKLOG = 0;

    private final boolean server;
    private final int qlen;
    private final ListenerPolicy listenerPolicy;
    private final LogTarget log;
    private final boolean strict;

    AgentOptions(boolean server, int qlen, ListenerPolicy listenerPolicy, LogTarget log, boolean strict) {
        this.server = server;
        this.qlen = qlen;
        this.listenerPolicy = listenerPolicy;
        this.log = log;
        this.strict = strict;
    }

    public boolean server() {
        return server;
    }

    /** The TFO queue length for a listener opened with {@code backlog} (the kernel clamps it too). */
    public int qlenFor(int backlog) {
        return qlen == QLEN_FROM_BACKLOG ? backlog : qlen;
    }

    public String qlenDescription() {
        return qlen == QLEN_FROM_BACKLOG ? "backlog" : Integer.toString(qlen);
    }

    public ListenerPolicy listenerPolicy() {
        return listenerPolicy;
    }

    public LogTarget log() {
        return log;
    }

    public boolean strict() {
        return strict;
    }
}
