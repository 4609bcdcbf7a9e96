package io.tfoagent.core.client;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client sockets the agent follows, found by the socket itself, never by its number
 * alone: a slot per fd number holds the connection, and a lookup matches only when the
 * object that owns the number (the JDK's {@link FileDescriptor}, or Netty's
 * {@code unix.FileDescriptor}, whose {@code equals} compares numbers and is never used here)
 * is the one the connection was made with. The kernel
 * reuses a closed socket's number at once, so I/O on a closed socket (whose stale number
 * now names another socket) finds nothing here and reaches the JDK, which throws what it
 * throws without the agent.
 *
 * <p>Invariants: {@link #tracked} equals the number of non-null slots at every moment a
 * writer releases the lock, and it is incremented before a slot is filled, so a reader
 * that found it 0 has no slot to miss (the socket's connect, which filled it, happens
 * before its first read or write). It is the one source of truth the bridge reads; it is
 * only ever changed atomically, here.
 */
final class ConnectionTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TfoConnection[].class);
    private static final int INITIAL_SLOTS = 256;

    private final AtomicInteger tracked;
    /** Replaced (grown) under the lock; a reader that holds an old array sees only older slots. */
    private volatile TfoConnection[] slots = new TfoConnection[INITIAL_SLOTS];

    /** @param tracked the count of followed sockets, shared with the bridge that skips all work while it is 0 */
    ConnectionTable(AtomicInteger tracked) {
        this.tracked = tracked;
    }

    /** The connection of this very socket, or null: the usual answer, in a few nanoseconds. */
    TfoConnection find(Object socket, int fd) {
        TfoConnection[] s = slots;
        if (fd < 0 || fd >= s.length) {
            return null;
        }
        TfoConnection c = (TfoConnection) SLOT.getAcquire(s, fd);
        return c != null && c.socket == socket ? c : null;
    }

    /**
     * The connection followed at {@code fd}, whichever object owns it: only for a call that names
     * its socket by number alone (Netty's splice). A slot is emptied when its socket's close is seen,
     * so one found here is that number's socket, unless it was closed behind the agent's back; then
     * the caller's bare SYN is a zero-length send that changes nothing on the socket now there.
     */
    TfoConnection atNumber(int fd) {
        TfoConnection[] s = slots;
        return fd < 0 || fd >= s.length ? null : (TfoConnection) SLOT.getAcquire(s, fd);
    }

    /** Follows {@code c}, replacing whatever a socket closed behind the agent's back left at its number. */
    synchronized void add(TfoConnection c) {
        TfoConnection[] s = slots;
        if (c.fd >= s.length) {
            TfoConnection[] grown = new TfoConnection[Math.max(s.length * 2, Integer.highestOneBit(c.fd) * 2)];
            System.arraycopy(s, 0, grown, 0, s.length);
            slots = s = grown;
        }
        if (s[c.fd] == null) {
            tracked.incrementAndGet();
        }
        SLOT.setRelease(s, c.fd, c);
    }

    /** Stops following {@code c}; false when it was not followed (any more). */
    synchronized boolean remove(TfoConnection c) {
        TfoConnection[] s = slots;
        if (c.fd >= s.length || s[c.fd] != c) {
            return false;
        }
        SLOT.setRelease(s, c.fd, null);
        tracked.decrementAndGet();
        return true;
    }

    /**
     * A new socket is connecting on {@code fd}: whatever is recorded there belongs to a
     * socket that was closed without the agent seeing it (left to the garbage collector).
     */
    synchronized void forgetOthersAt(Object socket, int fd) {
        TfoConnection[] s = slots;
        if (fd >= 0 && fd < s.length && s[fd] != null && s[fd].socket != socket) {
            SLOT.setRelease(s, fd, null);
            tracked.decrementAndGet();
        }
    }

    /** Every followed connection at this moment. */
    synchronized List<TfoConnection> all() {
        List<TfoConnection> all = new ArrayList<>();
        for (TfoConnection c : slots) {
            if (c != null) {
                all.add(c);
            }
        }
        return all;
    }
}
