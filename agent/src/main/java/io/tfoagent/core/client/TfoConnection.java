package io.tfoagent.core.client;

import java.net.InetSocketAddress;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client socket the agent follows, and the gate in front of its first write.
 *
 * <p>States: {@code FOLLOWED} (a normal handshake, followed only to learn who speaks first),
 * {@code DEFERRED} (connect() returned, nothing sent: the first write may ride in the SYN),
 * {@code FIRST_WRITE} (one thread decided how the SYN goes out and is writing),
 * {@code OPENING} (the SYN is out, the handshake may still fail), {@code SETTLED},
 * {@code CLOSED}. Every transition happens under {@link #lock}.
 *
 * <p>Why the gate: the JDK's own write lock, not the order in which threads reach the
 * advice, decides which bytes are written first. So the first thread to arrive holds every
 * other writer here, in front of the JDK's lock, until its write has returned: the bytes it
 * classified are then provably the first bytes written. Other writers wait as they would
 * have waited for the JDK's write lock (uninterruptibly, and parking virtual threads).
 *
 * <p>Interleavings, and what each one gives:
 * <ul>
 * <li>two first writers: one gets {@code FIRST_WRITE}, the other waits, then finds
 *     {@code OPENING} (or {@code DEFERRED} again when the first write sent nothing, e.g.
 *     it threw before reaching the kernel; then it is classified as the new first write);
 * <li>a read during the first write: it does not open the connection (the SYN is being
 *     sent) and is followed like any I/O while opening;
 * <li>close during the first write: {@code CLOSED} wakes the waiting writers, which then
 *     meet the JDK's own closed check; no native call is made on the fd once closed, since
 *     native calls happen with the lock held and the state checked ({@link #lockIfOpen}),
 *     and the JDK closes the fd only after the close hook took the lock;
 * <li>idle timer against the first write or read: whichever arrives first leaves
 *     {@code DEFERRED}; the other finds it gone and does nothing to the SYN;
 * <li>stale fd: I/O on a closed socket never finds this object (see ConnectionTable).
 * </ul>
 */
public final class TfoConnection {
    enum State { FOLLOWED, DEFERRED, FIRST_WRITE, OPENING, SETTLED, CLOSED }

    /** What a write or read finds when it comes to this connection. */
    enum Arrival {
        /** It is the first: it decides how the SYN goes out. */
        FIRST,
        /** The SYN is out, the handshake not yet confirmed: the outcome must be looked at. */
        WHILE_OPENING,
        /** Nothing to do. */
        AFTER
    }

    /**
     * The object that owns this socket's number, the JDK's FileDescriptor or Netty's: its identity,
     * which no other socket shares (a closed one keeps its object, never its number).
     */
    final Object socket;
    final int fd;
    final InetSocketAddress remote;
    final boolean trusted;
    /** May the agent block the calling thread (blocking channel or java.net.Socket)? */
    final boolean blockingApi;
    /** The application's connect timeout in milliseconds, 0 for none. */
    final int connectTimeoutMillis;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition firstWriteEnded = lock.newCondition();
    private State state;
    private Thread firstWriter;
    private boolean applicationActed;
    /** What the first act showed of the destination's habit, until the connection is known to have opened. */
    private DestinationHabits.Habit habitShown;
    private Future<?> idleOpen;
    /** Whether the first write went out inside the SYN. */
    private volatile boolean synData;
    /** When the handshake must be over for a caller with a connect timeout (System.nanoTime()), 0 for none. */
    private volatile long handshakeDeadline;
    /** The first write was made on a socket the agent made non-blocking for it: blocking again after. */
    private volatile boolean blockingToRestore;
    /** When the first write put its bytes in the SYN (clock nanos). */
    private volatile long synDataSentAt;
    /**
     * A copy of what rode in the SYN, for a reconnect to send again; null when too long to
     * keep, or once the write returned without taking it all (then it is not what was sent).
     */
    private volatile byte[] sentInSyn;
    /** The first write's bytes, until it returned: did it take them all? */
    private volatile FirstBytes firstWriteBytes;
    /** The reconnect after SYN data was reset (ResetRecovery): one thread, once; see {@link #claimReconnect}. */
    private Reconnect reconnect = Reconnect.NONE;

    private enum Reconnect { NONE, UNDER_WAY, OPENED, FAILED }

    TfoConnection(boolean deferred, Object socket, int fd, InetSocketAddress remote, boolean trusted,
            boolean blockingApi, int connectTimeoutMillis) {
        this.state = deferred ? State.DEFERRED : State.FOLLOWED;
        this.socket = socket;
        this.fd = fd;
        this.remote = remote;
        this.trusted = trusted;
        this.blockingApi = blockingApi;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /**
     * The application acts (reads, writes, closes): the first act shows the destination's
     * habit, kept until {@link #takeHabitShown} once the connection opened. True for the first.
     */
    boolean act(DestinationHabits.Habit shows) {
        lock.lock();
        try {
            if (applicationActed) {
                return false;
            }
            applicationActed = true;
            habitShown = shows;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The habit the first act showed, once; null when there was none or it was taken. */
    DestinationHabits.Habit takeHabitShown() {
        lock.lock();
        try {
            DestinationHabits.Habit h = habitShown;
            habitShown = null;
            return h;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A write arrives. Waits while another thread's first write is under way; the first to
     * arrive at a deferred socket becomes the first writer and must end it with
     * {@link #endFirstWrite} (or {@link #settle}, or the socket's close).
     */
    Arrival arriveToWrite() {
        lock.lock();
        try {
            while (state == State.FIRST_WRITE && firstWriter != Thread.currentThread()) {
                firstWriteEnded.awaitUninterruptibly();
            }
            // FIRST_WRITE here is this thread's own write, nested inside its first.
            return arrive(State.FIRST_WRITE);
        } finally {
            lock.unlock();
        }
    }

    /** A read (or shutdown) arrives: the first act opens a deferred connection; none waits for a first writer. */
    Arrival arriveToRead() {
        lock.lock();
        try {
            return arrive(State.OPENING);
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: a deferred connection goes to {@code next}, and the caller acts first. */
    private Arrival arrive(State next) {
        switch (state) {
            case DEFERRED:
                state = next;
                if (next == State.FIRST_WRITE) {
                    firstWriter = Thread.currentThread();
                }
                cancelIdleOpen();
                return Arrival.FIRST;
            case FIRST_WRITE:
            case OPENING:
                return Arrival.WHILE_OPENING;
            case FOLLOWED:
                state = State.SETTLED;
                return Arrival.AFTER;
            default:
                return Arrival.AFTER;
        }
    }

    /**
     * The idle timer: true when the socket was still deferred and is now opening, in which
     * case the lock is held and the caller sends the SYN, then calls {@link #unlock}.
     */
    boolean arriveIdleAndLock() {
        lock.lock();
        if (state == State.DEFERRED) {
            state = State.OPENING;
            return true;
        }
        lock.unlock();
        return false;
    }

    /** Whether the calling thread is this connection's first writer, with its write under way. */
    boolean isFirstWriteOfCurrentThread() {
        lock.lock();
        try {
            return state == State.FIRST_WRITE && firstWriter == Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first write returned: {@code nothingSent} when the kernel shows no SYN went out
     * (the write threw before reaching it), so that the next write is classified afresh.
     */
    void endFirstWrite(boolean nothingSent) {
        lock.lock();
        try {
            if (state == State.FIRST_WRITE) {
                state = nothingSent ? State.DEFERRED : State.OPENING;
                if (nothingSent) {
                    synData = false;
                }
                firstWriter = null;
                firstWriteEnded.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the connection as no longer the agent's concern (its handshake done, or failed
     * and reported, or the agent let it go after sending its SYN); true when this call did it.
     */
    boolean settle() {
        lock.lock();
        try {
            if (state == State.SETTLED || state == State.CLOSED) {
                return false;
            }
            state = State.SETTLED;
            firstWriter = null;
            firstWriteEnded.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The application closes the socket: returns the state it was in. Waits for a native call under way. */
    State close() {
        lock.lock();
        try {
            State was = state;
            state = State.CLOSED;
            firstWriter = null;
            cancelIdleOpen();
            firstWriteEnded.signalAll();
            return was;
        } finally {
            lock.unlock();
        }
    }

    boolean isOpening() {
        lock.lock();
        try {
            return state == State.OPENING || state == State.FIRST_WRITE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lock for a native call on {@link #fd}, unless the socket is closed: while it
     * is held, the application's close waits in {@link #close}, before the JDK closes the
     * fd, so the number cannot name another socket yet. False (and no lock) when closed.
     */
    boolean lockIfOpen() {
        lock.lock();
        if (state == State.CLOSED) {
            lock.unlock();
            return false;
        }
        return true;
    }

    void unlock() {
        lock.unlock();
    }

    /** Keeps the idle timer's task so that whatever opens the socket first cancels it. */
    void idleOpenScheduled(Future<?> task) {
        lock.lock();
        try {
            idleOpen = task;
            if (state != State.DEFERRED) {
                cancelIdleOpen();
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelIdleOpen() {
        if (idleOpen != null) {
            idleOpen.cancel(false);
            idleOpen = null;
        }
    }

    boolean synData() {
        return synData;
    }

    /**
     * The first write puts its bytes in the SYN at {@code nowNanos}; {@code copy} is kept
     * (null when not) for a reconnect to send again.
     */
    void rodeInSyn(long nowNanos, FirstBytes bytes, byte[] copy) {
        synDataSentAt = nowNanos;
        firstWriteBytes = bytes;
        sentInSyn = copy;
        synData = true;
    }

    long synDataSentAt() {
        return synDataSentAt;
    }

    /**
     * The first write returned normally, {@code written} its count
     * ({@link ClientFastOpen#COUNT_UNKNOWN}: its buffers tell): its copy stands only if it took
     * every byte.
     */
    void firstWriteReturned(long written) {
        FirstBytes bytes = firstWriteBytes;
        firstWriteBytes = null;
        if (bytes == null) {
            return; // nothing rode in the SYN
        }
        byte[] copy = sentInSyn;
        if (!(written == ClientFastOpen.COUNT_UNKNOWN ? bytes.allTaken() : copy != null && written == copy.length)) {
            sentInSyn = null;
        }
    }

    /** What rode in the SYN, as the application wrote it; null when the agent does not have it. */
    byte[] sentInSyn() {
        return firstWriteBytes == null ? sentInSyn : null;
    }

    /**
     * True for the one caller that may reconnect this socket, which must end it with
     * {@link #reconnectEnded}; false for every later one, or once closed.
     */
    boolean claimReconnect() {
        lock.lock();
        try {
            if (reconnect != Reconnect.NONE || state == State.CLOSED) {
                return false;
            }
            reconnect = Reconnect.UNDER_WAY;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void reconnectEnded(boolean opened) {
        lock.lock();
        try {
            reconnect = opened ? Reconnect.OPENED : Reconnect.FAILED;
            firstWriteEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a call that met the failed handshake while another thread's first write or reconnect
     * was under way: waits until they ended (each is short: a write that the kernel answered, a
     * reconnect bounded as connect() is), so that the first write's bytes are known and no two
     * threads reconnect. True when the socket was reconnected and opened: the call is made again.
     */
    boolean awaitOthersThenReconnected() {
        lock.lock();
        try {
            while ((state == State.FIRST_WRITE && firstWriter != Thread.currentThread())
                    || reconnect == Reconnect.UNDER_WAY) {
                firstWriteEnded.awaitUninterruptibly();
            }
            return reconnect == Reconnect.OPENED;
        } finally {
            lock.unlock();
        }
    }

    void blockingToRestore(boolean restore) {
        blockingToRestore = restore;
    }

    /** Whether the socket must be made blocking again; true once. */
    boolean takeBlockingToRestore() {
        boolean restore = blockingToRestore;
        blockingToRestore = false;
        return restore;
    }

    long handshakeDeadline() {
        return handshakeDeadline;
    }

    void handshakeDeadline(long nanoTime) {
        handshakeDeadline = nanoTime;
    }

    /** For tests: the state now. */
    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }
}
