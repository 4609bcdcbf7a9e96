package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.NativeCallException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.function.LongSupplier;

/**
 * Saves a connection whose SYN data was answered with a reset or an ICMP error, so that the
 * application does not pay for the agent's attempt with a failed request (a middlebox that
 * rejects SYNs carrying data; DESIGN.md section 8, hazard 14). Linux lets a TCP socket whose
 * connect failed connect again: the same socket, with every option the application set on
 * it, connects without TFO, and what rode in the SYN is sent again. That is safe: only
 * replay-safe bytes ever ride in a SYN, and the kernel proved that none was acked
 * (bytes_acked 0). If the destination refuses the plain connect too (the server is down),
 * that failure is what the application sees, as connect() would have thrown it.
 *
 * <p>The caller waits for the new handshake, as connect() would have, bounded by the connect
 * timeout when there is one: a blocking call anyway; a non-blocking channel's call (an event
 * loop) too, for that round trip (at most {@link #NON_BLOCKING_WAIT_NANOS}, then the connect
 * failure it is), so that what rode in the SYN goes out again before any later write of the
 * application, and its call, made again, finds the connection open (a selector that waits on
 * the socket keeps waiting on it: it is the same socket). Only when
 * the answer came before the kernel sent the SYN again: a destination that does not answer
 * is not tried twice. One thread reconnects, once per connection; another that meets the same
 * failure waits for it and makes its call again ({@link TfoConnection#awaitOthersThenReconnected}).
 */
final class ResetRecovery {
    /**
     * The kernel's initial SYN retransmission timeout (TCP_TIMEOUT_INIT): a failure within it
     * was an answer (a reset, an ICMP error), not the silence of a dead destination.
     */
    static final long ANSWERED_WITHIN_NANOS = 1_000_000_000L;
    /**
     * How long a non-blocking caller (an event loop) waits for the reconnect's handshake: past the
     * kernel's first two SYN retransmissions (1 s, 3 s), not its whole retry budget (~127 s).
     */
    static final long NON_BLOCKING_WAIT_NANOS = 4_000_000_000L;

    private final FollowedSocketCalls calls;
    private final ConnectTimeout connectTimeout;
    private final LongSupplier clock;

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    ResetRecovery(FollowedSocketCalls calls, ConnectTimeout connectTimeout, LongSupplier clock) {
        this.calls = calls;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Whether a failure of {@code c}, whose SYN was never acked, is one a reconnect can save:
     * its SYN carried data, and the answer came before the kernel sent the SYN again.
     *
     * @param failure what the caller met (null: a read or write that returned on a socket
     *                that never opened)
     */
    boolean applies(TfoConnection c, IOException failure) {
        return c.synData() && !(failure instanceof InterruptedIOException)
                && !(failure instanceof ClosedChannelException)
                && clock.getAsLong() - c.synDataSentAt() < ANSWERED_WITHIN_NANOS;
    }

    /**
     * Whether this caller may reconnect {@code c}; true once. A claimed reconnect must be made
     * ({@link #reconnect}).
     *
     * @param failedCallSent the failing call is the first write itself, which the caller
     *                repeats whole; otherwise the first write returned, and its bytes must be
     *                at hand to be sent again
     */
    boolean claim(TfoConnection c, boolean failedCallSent) {
        return (failedCallSent || c.sentInSyn() != null) && c.claimReconnect();
    }

    /**
     * Connects the socket again without TFO, waits for the handshake as connect() would, and
     * sends again what rode in the SYN when {@code resend}.
     *
     * @return null when the connection is open and the caller may go on (or the socket was
     *         closed meanwhile: the caller's call says so), else the failure, not yet counted
     */
    IOException reconnect(TfoConnection c, boolean resend) {
        IOException failed = null;
        boolean restoreBlocking = calls.makeNonBlocking(c);
        try {
            if (calls.reconnect(c)) {
                if (!c.blockingApi) {
                    c.handshakeDeadline(clock.getAsLong() + NON_BLOCKING_WAIT_NANOS);
                }
                failed = connectTimeout.awaitHandshake(c);
                if (failed instanceof SocketTimeoutException && !c.blockingApi) {
                    // No connect timeout of the application's ran out: the destination did not answer.
                    failed = ConnectFailures.forErrno(LinuxConstants.ETIMEDOUT);
                }
                if (failed == null && resend) {
                    failed = sendAgain(c, c.sentInSyn());
                }
            }
        } catch (NativeCallException e) {
            failed = ConnectFailures.forErrno(e.errno());
        } catch (IOException e) {
            failed = e;
        } finally {
            if (restoreBlocking) {
                calls.makeBlocking(c);
            }
            c.reconnectEnded(failed == null);
        }
        return failed;
    }

    /**
     * Sends {@code bytes} on the new connection, whose send buffer is empty: it takes them at
     * once, short of a peer with a tiny window, which the loop waits for as the JDK would.
     */
    private IOException sendAgain(TfoConnection c, byte[] bytes) throws IOException {
        int sent = 0;
        while (sent < bytes.length) {
            int n;
            try {
                n = calls.sendNow(c, bytes, sent);
            } catch (NativeCallException e) {
                return new SocketException(e.getMessage()); // the connection opened: not a connect failure
            }
            if (n < 0) {
                return null;
            }
            if (n == 0) {
                calls.awaitWritable(c, ConnectTimeout.UNTIMED_WAIT_NANOS);
            }
            sent += n;
        }
        return null;
    }
}
