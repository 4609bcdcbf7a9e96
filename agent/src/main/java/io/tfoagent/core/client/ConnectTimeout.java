package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * The application's connect timeout ({@code Socket.connect(addr, millis)}), carried over
 * to a deferred connection's first write or read, where the handshake now happens: the
 * kernel's own wait for it inside a blocking send is bounded by SO_SNDTIMEO, and the
 * agent's waits by the deadline. Only for callers that may block and gave a timeout.
 */
final class ConnectTimeout {
    private final FollowedSocketCalls calls;
    private final ConnectFailures failures;
    private final LongSupplier clock;

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    ConnectTimeout(FollowedSocketCalls calls, ConnectFailures failures, LongSupplier clock) {
        this.calls = calls;
        this.failures = failures;
        this.clock = clock;
    }

    static boolean applies(TfoConnection c) {
        return c.blockingApi && c.connectTimeoutMillis > 0;
    }

    /** At the first write or read: the clock starts. */
    void start(TfoConnection c) {
        if (applies(c)) {
            c.handshakeDeadline(clock.getAsLong() + c.connectTimeoutMillis * 1_000_000L);
            calls.setSendTimeout(c, c.connectTimeoutMillis);
        }
    }

    /** Once the handshake is over: the application's later writes wait as long as they need. */
    void end(TfoConnection c) {
        if (c.handshakeDeadline() != 0) {
            calls.setSendTimeout(c, 0);
        }
    }

    /**
     * Waits for the SYN-ACK until the deadline, the way the JDK waits (a virtual thread is
     * parked); bounded by the deadline, whatever wakes it.
     *
     * @return null once the handshake completed (or the socket was closed: the JDK reports
     *         that), else the failure to throw
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
                    return failures.fromErrno(error == 0 ? LinuxConstants.ECONNREFUSED : error);
                }
                return null;
            }
            long remaining = c.handshakeDeadline() - clock.getAsLong();
            if (remaining <= 0) {
                failures.timedOut();
                return new SocketTimeoutException("Connect timed out");
            }
            calls.awaitWritable(c, remaining);
        }
    }
}
