package io.tfoagent.core.client;

import java.net.InetSocketAddress;
import java.util.concurrent.Future;

/**
 * One client socket whose connect() the kernel deferred (cookie hit): nothing has been sent
 * yet, and the first write, read, timer or close decides what happens. Transitions happen
 * under the object's lock, so a timer never touches a socket the application is closing.
 */
final class TfoConnection {
    enum State {
        /** A normal handshake (no cookie yet): followed only to learn the destination's habit. */
        HANDSHAKEN,
        /** connect() returned, no SYN sent: the first write may ride in it. */
        DEFERRED,
        /** The SYN is out (with or without data); the handshake may still fail. */
        OPENING,
        /** The handshake completed, or failed and was reported. */
        SETTLED,
        CLOSED
    }

    final int fd;
    final InetSocketAddress remote;
    final boolean trusted;
    /** May the agent block the calling thread (blocking channel or java.net.Socket)? */
    final boolean blockingApi;
    /** The application's connect timeout in milliseconds, 0 for none. */
    final int connectTimeoutMillis;
    State state;
    /** Whether the first write went out inside the SYN. */
    boolean synData;
    /** When the handshake must be over for a caller with a connect timeout (System.nanoTime()). */
    long handshakeDeadline;
    /** The idle-open timer of a non-blocking socket, cancelled once anything else opens it. */
    volatile Future<?> idleOpen;
    /** Whether the application has read or written yet: its first operation shows the destination's habit. */
    private boolean applicationActed;

    /**
     * The application's first read or write, if this is it: the destination's habit then is
     * to speak first ({@code write}) or to listen first.
     */
    synchronized boolean firstApplicationAct() {
        boolean first = !applicationActed;
        applicationActed = true;
        return first;
    }

    /** What a write or read finds when it comes to this connection. */
    enum Arrival {
        /** It is the first: it decides how the SYN goes out. */
        FIRST,
        /** The SYN is out, the handshake not yet confirmed: the outcome must be looked at. */
        WHILE_OPENING,
        /** Nothing to do. */
        AFTER
    }

    TfoConnection(State state, int fd, InetSocketAddress remote, boolean trusted, boolean blockingApi,
            int connectTimeoutMillis) {
        this.state = state;
        this.fd = fd;
        this.remote = remote;
        this.trusted = trusted;
        this.blockingApi = blockingApi;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** The first caller moves the connection from DEFERRED to OPENING; a followed handshake is done with. */
    synchronized Arrival arrive() {
        switch (state) {
            case DEFERRED:
                state = State.OPENING;
                Future<?> timer = idleOpen;
                if (timer != null) {
                    timer.cancel(false);
                }
                return Arrival.FIRST;
            case OPENING:
                return Arrival.WHILE_OPENING;
            case HANDSHAKEN:
                state = State.SETTLED;
                return Arrival.AFTER;
            default:
                return Arrival.AFTER;
        }
    }
}
