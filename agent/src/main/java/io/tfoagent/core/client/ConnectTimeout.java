package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.NativeCallException;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The application's connect timeout ({@code Socket.connect(addr, millis)}), carried over
 * to a deferred connection's first write or read, where the handshake now happens: the
 * kernel's own wait for it inside a blocking send is bounded by SO_SNDTIMEO, and the
 * agent's waits by the deadline. Only for callers that may block and gave a timeout.
 */
final class ConnectTimeout {
    private final FollowedSocketCalls calls;
    private final ConnectFailures failures;

    ConnectTimeout(FollowedSocketCalls calls, ConnectFailures failures) {
        this.calls = calls;
        this.failures = failures;
    }

    static boolean applies(TfoConnection c) {
        return c.blockingApi && c.connectTimeoutMillis > 0;
    }

    /** At the first write or read: the clock starts. */
    void start(TfoConnection c) {
        if (applies(c)) {
            c.handshakeDeadline(System.nanoTime() + c.connectTimeoutMillis * 1_000_000L);
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
     * Waits for the SYN-ACK until the deadline.
     *
     * @return null once the handshake completed, else the failure to throw
     */
    IOException awaitHandshake(TfoConnection c) throws NativeCallException {
        int remaining = (int) Math.max(0, (c.handshakeDeadline() - System.nanoTime()) / 1_000_000L);
        int revents = calls.awaitWritable(c, remaining);
        if (revents == 0) {
            failures.timedOut();
            return new SocketTimeoutException("Connect timed out");
        }
        int error = (revents & (LinuxConstants.POLLERR | LinuxConstants.POLLHUP)) != 0 ? calls.takeError(c) : 0;
        return error == 0 ? null : failures.fromErrno(error);
    }
}
