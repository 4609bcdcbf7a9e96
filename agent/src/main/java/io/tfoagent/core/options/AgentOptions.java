package io.tfoagent.core.options;

import io.tfoagent.core.client.ClientTimings;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.core.policy.ListenerPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The parsed, validated options; see {@link OptionsParser} for the syntax. Entries that were
 * rejected are left out, each with its line in {@link #rejected()}.
 */
public final class AgentOptions {
    /** {@code qlen} when unset: use each listener's own backlog. */
    public static final int QLEN_FROM_BACKLOG = 0;
    /** How long a non-blocking client socket may sit deferred without writing before the agent opens it. */
    public static final int DEFAULT_IDLE_OPEN_MS = 5;
    /** Seconds between counters lines ({@code log-interval}); 0: only at exit. */
    public static final int DEFAULT_LOG_INTERVAL_SECONDS = 60;

    private final boolean server;
    private final int qlen;
    private final ListenerPolicy listenerPolicy;
    private final DestinationPolicy destinationPolicy;
    private final Set<String> safeHttpMethods;
    private final ClientTimings clientTimings;
    private final Path cacheDir;
    private final Path serverKeyFile;
    private final LogTarget log;
    private final int logIntervalSeconds;
    private final boolean strict;
    private final boolean dryRun;
    private final String effective;
    private final List<String> rejected;

    AgentOptions(boolean server, int qlen, ListenerPolicy listenerPolicy, DestinationPolicy destinationPolicy,
            Set<String> safeHttpMethods, ClientTimings clientTimings, Path cacheDir, Path serverKeyFile, LogTarget log,
            int logIntervalSeconds, boolean strict, boolean dryRun, String effective, List<String> rejected) {
        this.server = server;
        this.qlen = qlen;
        this.listenerPolicy = listenerPolicy;
        this.destinationPolicy = destinationPolicy;
        this.safeHttpMethods = safeHttpMethods;
        this.clientTimings = clientTimings;
        this.cacheDir = cacheDir;
        this.serverKeyFile = serverKeyFile;
        this.log = log;
        this.logIntervalSeconds = logIntervalSeconds;
        this.strict = strict;
        this.dryRun = dryRun;
        this.effective = effective;
        this.rejected = rejected;
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

    public DestinationPolicy destinationPolicy() {
        return destinationPolicy;
    }

    /** Client TFO is on when at least one allow= entry names a destination. */
    public boolean client() {
        return destinationPolicy.clientEnabled();
    }

    public Set<String> safeHttpMethods() {
        return safeHttpMethods;
    }

    /** idle-open-ms, backoff-ms, backoff-max-ms. */
    public ClientTimings clientTimings() {
        return clientTimings;
    }

    /** Where woven JDK classes are kept between runs; null when cache-dir=off. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** {@code server-key=file:PATH}: the TFO keys every listener gets; null when unset (the kernel's key). */
    public Path serverKeyFile() {
        return serverKeyFile;
    }

    public LogTarget log() {
        return log;
    }

    /** Seconds between counters lines, 0 for only the one at exit. */
    public int logIntervalSeconds() {
        return logIntervalSeconds;
    }

    /** {@code strict=true}: any entry in {@link #rejected()} (or an unusable log) must stop the JVM at its start. */
    public boolean strict() {
        return strict;
    }

    /**
     * {@code dry-run=true}: every connection is classified and counted as it would be, and
     * nothing on the wire changes (no TCP_FASTOPEN on listeners, no deferred connect).
     */
    public boolean dryRun() {
        return dryRun;
    }

    /** The options in effect after merging every source, for the start line (secret values masked). */
    public String effective() {
        return effective;
    }

    /**
     * One line per rejected entry (printable, bounded), in the order given: the entry quoted,
     * what its option accepts, and for a single-valued option the default it keeps.
     */
    public List<String> rejected() {
        return rejected;
    }
}
