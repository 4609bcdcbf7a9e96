package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * The application's connect timeout ({@code Socket.connect(addr, millis)}), carried over
 * to a deferred connection's first acts, where the handshake now happens. The first write
 * never waits (it is made on a non-blocking socket, and puts its bytes in the SYN); the
 * read or write after it waits for the handshake until the deadline and, past it, throws
 * the {@code SocketTimeoutException} connect() would have thrown. So an HTTP client that
 * writes its request and then reads sees the timeout where it sees a connect timeout:
 * while reading, not writing (a failed write is retried by HttpURLConnection, a read
 * timeout is not). Only for callers that may block and gave a timeout.
 */
final class ConnectTimeout {
    /**
     * How long one wait lasts for a caller without a timeout: it waits again until the
     * handshake is over, which the kernel's SYN retries bound, as they bound connect().
     */
    static final long UNTIMED_WAIT_NANOS = 1_000_000_000L;

    private final FollowedSocketCalls calls;
    private final LongSupplier clock;

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    ConnectTimeout(FollowedSocketCalls calls, LongSupplier clock) {
        this.calls = calls;
        this.clock = clock;
    }

    static boolean applies(TfoConnection c) {
        return c.blockingApi && c.connectTimeoutMillis > 0;
    }

    /** At the first write or read: the clock starts. */
    void start(TfoConnection c) {
        if (applies(c)) {
            c.handshakeDeadline(clock.getAsLong() + c.connectTimeoutMillis * 1_000_000L);
        }
    }

    /**
     * Waits for the SYN-ACK until the deadline (for a caller without a timeout, until the
     * handshake is over), the way the JDK waits (a virtual thread is parked); bounded by the
     * deadline, whatever wakes it.
     *
     * @return null once the handshake completed (or the socket was closed: the JDK reports
     *         that), else the failure, not yet counted (see ConnectFailures#reported)
     */
    IOException awaitHandshake(TfoConnection c) throws IOException {
        while (true) {
            TcpInfo info = calls.tcpInfo(c);
            if (info == null) {
                return null;
            }
            if (info.state() != TcpInfo.STATE_SYN_SENT) {
                if (info.state() == TcpInfo.STATE_CLOSE && info.handshakeNeverCompleted()) {
                    int error = calls.takeError(c);
                    return ConnectFailures.forErrno(error == 0 ? LinuxConstants.ECONNREFUSED : error);
                }
                return null;
            }
            long deadline = c.handshakeDeadline();
            long remaining = deadline != 0 ? deadline - clock.getAsLong() : UNTIMED_WAIT_NANOS;
            if (remaining <= 0) {
                return new SocketTimeoutException("Connect timed out");
            }
            calls.awaitWritable(c, remaining);
        }
    }
}
