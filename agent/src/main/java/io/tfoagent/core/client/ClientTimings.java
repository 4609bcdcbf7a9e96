package io.tfoagent.core.client;

/**
 * The client side's times, from the options: how long an idle non-blocking deferred socket
 * waits before the agent opens it, and how long a destination whose SYN data cost it is
 * left alone before the next probe (doubling, up to the maximum).
 */
public record ClientTimings(int idleOpenMillis, long backoffMillis, long maxBackoffMillis) {
    public static final long DEFAULT_BACKOFF_MILLIS = 60_000;
    public static final long DEFAULT_MAX_BACKOFF_MILLIS = 3_600_000;
}
