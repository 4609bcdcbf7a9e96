package io.tfoagent.core.client;

import io.tfoagent.core.AgentLog;
import io.tfoagent.shim.LinuxConstants;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * The one place that decides what an application sees when a deferred connection fails to
 * open: what connect() would have thrown, since with the SYN deferred it is a write or read
 * that meets the failure. Callers come here only when the kernel proved that the SYN was
 * never acked (TCP_INFO bytes_acked 0): a {@code ConnectException} tells retry logic that
 * nothing was sent, so one is never made up for a connection that did open. The classes
 * are those the JDK's connect() throws for the same errno (sun.nio.ch.Net's mapping).
 */
final class ConnectFailures {
    private final ClientCounters counters;
    private final AgentLog log;

    ConnectFailures(ClientCounters counters, AgentLog log) {
        this.counters = counters;
        this.log = log;
    }

    /** The kernel reported {@code errno} for a connection whose SYN was never acked: reported to the application. */
    IOException fromErrno(int errno) {
        return reported(forErrno(errno));
    }

    /** What connect() throws for {@code errno}; nothing counted (the caller may still save the connection). */
    static IOException forErrno(int errno) {
        switch (errno) {
            case LinuxConstants.ECONNREFUSED:
                return new ConnectException("Connection refused");
            case LinuxConstants.EHOSTUNREACH:
                return new NoRouteToHostException("No route to host");
            case LinuxConstants.ENETUNREACH:
                return new SocketException("Network is unreachable");
            case LinuxConstants.ETIMEDOUT:
                return new ConnectException("Connection timed out");
            default:
                return new ConnectException("Connection failed (errno " + errno + ")");
        }
    }

    /** {@code failure} (from {@link #forErrno}, or a connect timeout's) goes to the application: counted. */
    IOException reported(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            counters.failedToConnect.increment();
        } else {
            counted(failure.getMessage());
        }
        return failure;
    }

    /**
     * A read or write threw while the SYN was never acked: the connect failure it stands
     * for, or null to let the application see {@code thrown} itself (already what connect()
     * throws, a timeout the application asked for, or the socket closed under it).
     */
    IOException instead(IOException thrown) {
        if (thrown instanceof ClosedChannelException || thrown instanceof InterruptedIOException) {
            return null;
        }
        counted(thrown.getClass().getName());
        if (thrown instanceof ConnectException || thrown instanceof NoRouteToHostException) {
            return null;
        }
        String message = String.valueOf(thrown.getMessage());
        IOException instead = message.contains("No route to host") ? new NoRouteToHostException(message)
                : message.contains("Network is unreachable") ? new SocketException(message)
                : new ConnectException(message);
        instead.initCause(thrown);
        return instead;
    }

    private void counted(String how) {
        counters.failedToConnect.increment();
        log.once("connect-failed:" + how, "a deferred connection failed to open (" + how + ");"
                + " the application sees it as a failed connect");
    }
}
