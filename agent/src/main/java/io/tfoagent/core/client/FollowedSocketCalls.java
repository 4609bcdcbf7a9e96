package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;

/**
 * The kernel calls on a followed socket's fd, each made while the connection's lock is held
 * and its close has not begun ({@link TfoConnection#lockIfOpen}): the application's close
 * waits for the call to end before the JDK closes the fd, so a call never reaches another
 * socket that reused the number. On a closed connection every call does nothing.
 */
final class FollowedSocketCalls {
    private final ClientKernel kernel;

    FollowedSocketCalls(ClientKernel kernel) {
        this.kernel = kernel;
    }

    /** TCP_INFO, or null when the socket is closed or the fd failed. */
    TcpInfo tcpInfo(TfoConnection c) {
        if (!c.lockIfOpen()) {
            return null;
        }
        try {
            return kernel.tcpInfo(c.fd);
        } catch (NativeCallException e) {
            return null;
        } finally {
            c.unlock();
        }
    }

    /** The bare SYN, if the kernel still defers it (a zero-length send does nothing otherwise). */
    void sendBareSyn(TfoConnection c) throws NativeCallException {
        if (c.lockIfOpen()) {
            try {
                kernel.sendEmpty(c.fd);
            } finally {
                c.unlock();
            }
        }
    }

    /** As {@link #sendBareSyn}, for when a failure could only be reported by the socket's next I/O anyway. */
    void sendBareSynQuietly(TfoConnection c) {
        try {
            sendBareSyn(c);
        } catch (NativeCallException e) {
            // the socket failed: its next read or write says so
        }
    }

    /** SO_ERROR, cleared; 0 when there is none, or when the socket is closed or the fd failed. */
    int takeError(TfoConnection c) {
        if (!c.lockIfOpen()) {
            return 0;
        }
        try {
            return kernel.takeError(c.fd);
        } catch (NativeCallException e) {
            return 0;
        } finally {
            c.unlock();
        }
    }

    /**
     * Makes the socket non-blocking; true when it was blocking (and must be made so again),
     * false when it was non-blocking already or the call failed (nothing to undo).
     */
    boolean makeNonBlocking(TfoConnection c) {
        if (c.lockIfOpen()) {
            try {
                return !kernel.setNonBlocking(c.fd, true);
            } catch (NativeCallException e) {
                return false;
            } finally {
                c.unlock();
            }
        }
        return false;
    }

    /** Undoes {@link #makeNonBlocking}; a failure is left for the socket's next I/O to report. */
    void makeBlocking(TfoConnection c) {
        if (c.lockIfOpen()) {
            try {
                kernel.setNonBlocking(c.fd, false);
            } catch (NativeCallException e) {
                // the socket failed: its next read or write says so
            } finally {
                c.unlock();
            }
        }
    }

    /**
     * Connects the socket again, without TFO, after its deferred connect failed; the socket
     * must be non-blocking. The kernel may answer the first attempt with ECONNABORTED, the
     * failed attempt's leftover, before it takes a new one.
     *
     * @return false when the socket is closed (nothing was done)
     */
    boolean reconnect(TfoConnection c) throws NativeCallException {
        if (!c.lockIfOpen()) {
            return false;
        }
        try {
            kernel.setFastOpenConnect(c.fd, false);
            try {
                kernel.connect(c.fd, c.remote);
            } catch (NativeCallException e) {
                if (e.errno() != LinuxConstants.ECONNABORTED) {
                    throw e;
                }
                kernel.connect(c.fd, c.remote);
            }
            return true;
        } finally {
            c.unlock();
        }
    }

    /** A send that never waits: how many bytes from {@code offset} on were taken, -1 when the socket is closed. */
    int sendNow(TfoConnection c, byte[] bytes, int offset) throws NativeCallException {
        if (!c.lockIfOpen()) {
            return -1;
        }
        try {
            return kernel.sendNow(c.fd, bytes, offset);
        } finally {
            c.unlock();
        }
    }

    /**
     * Waits until writable, at most {@code nanos}, without the lock (the wait is long, and a
     * close must not wait for it); the JDK's FileDescriptor, not the number, is waited on,
     * so a close ends the wait instead of handing it another socket (Netty's socket, by
     * number: its event loop, which waits, is the only thread that closes it).
     */
    void awaitWritable(TfoConnection c, long nanos) throws IOException {
        kernel.awaitWritable(c.socket, c.fd, nanos);
    }
}
