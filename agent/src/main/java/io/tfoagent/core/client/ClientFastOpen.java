package io.tfoagent.core.client;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Client-side TFO (DESIGN.md section 4). On connect to an allowed destination it sets
 * TCP_FASTOPEN_CONNECT; when the kernel defers the connect (cookie cached), the socket is
 * tracked until its first write, which either rides in the SYN (replay-safe bytes) or is
 * preceded by a bare SYN (anything else). Reads before any write, idle non-blocking sockets,
 * and closes open or settle the connection; connection failures that now surface after
 * connect() are reported as the ConnectException or SocketTimeoutException that connect()
 * would have thrown.
 */
public final class ClientFastOpen {
    /**
     * How long a deferred non-blocking socket to a destination known to be written to first
     * may wait for its first write before the agent opens it: only a safety net, since the
     * first write is expected; long enough for a cold TLS stack to produce its ClientHello.
     */
    static final int CLIENT_FIRST_IDLE_OPEN_MS = 1000;

    private final DestinationPolicy policy;
    private final FirstWriteClassifier classifier;
    private final int idleOpenMillis;
    private final AgentLog log;
    private final ClientCounters counters = new ClientCounters();
    private final Map<Integer, TfoConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger tracked = new AtomicInteger();
    private final IntConsumer trackedChanged;
    private final DestinationHabits habits = new DestinationHabits();
    /** Sockets between beforeConnect (TCP_FASTOPEN_CONNECT set) and afterConnect. */
    private final Set<Integer> connecting = ConcurrentHashMap.newKeySet();
    private volatile ScheduledThreadPoolExecutor idleOpener;
    private volatile boolean nativeUnavailable;

    /**
     * @param trackedChanged told the number of tracked sockets whenever it changes, so that
     *                       hooks can skip untracked sockets without a lookup while it is 0
     */
    public ClientFastOpen(DestinationPolicy policy, FirstWriteClassifier classifier, int idleOpenMillis,
            AgentLog log, IntConsumer trackedChanged) {
        this.policy = policy;
        this.classifier = classifier;
        this.idleOpenMillis = idleOpenMillis;
        this.log = log;
        this.trackedChanged = trackedChanged;
    }

    public ClientCounters counters() {
        return counters;
    }

    /** Before connect(): true when TCP_FASTOPEN_CONNECT was set on {@code fd}. */
    public boolean beforeConnect(int fd, InetSocketAddress remote) {
        forgetStale(fd);
        if (nativeUnavailable || remote == null || remote.isUnresolved()) {
            return false;
        }
        switch (policy.decide(hostNameOf(remote), remote.getAddress(), remote.getPort())) {
            case NOT_ALLOWED:
                counters.notAllowed.increment();
                return false;
            case DENIED:
                counters.denied.increment();
                return false;
            case SERVER_SPEAKS_FIRST:
                counters.serverSpeaksFirst.increment();
                return false;
            default:
                break;
        }
        DestinationHabits.Habit habit = habits.of(remote);
        if (habit == DestinationHabits.Habit.CONNECT_THEN_CLOSE) {
            counters.connectThenClose.increment();
            return false;
        }
        if (habit == DestinationHabits.Habit.SERVER_FIRST) {
            counters.serverSpeaksFirst.increment();
            return false;
        }
        try {
            LinuxSocket.setFastOpenConnect(fd, true);
            connecting.add(fd);
            counters.allowed.increment();
            return true;
        } catch (NativeCallException e) {
            if (!e.isUnsupported()) {
                counters.errors.increment();
                log.once("connect:" + e.errno(), "cannot ask for TFO on a client socket: " + e.getMessage());
            }
            return false;
        } catch (LinkageError e) {
            nativeUnavailable = true;
            log.once("native", "cannot call libc through JNA (" + e + "); client TFO stays off in this JVM");
            return false;
        }
    }

    /**
     * After connect() on any socket. For one {@link #beforeConnect} prepared that connect()
     * reported connected, the kernel deferred the connect when the socket is still in
     * SYN_SENT, with nothing sent.
     *
     * @param connectedNow false when connect() failed or a non-blocking connect is pending
     * @param blockingApi whether the application's calls on this socket may block
     * @param connectTimeoutMillis the application's connect timeout, 0 for none
     */
    public void afterConnect(int fd, InetSocketAddress remote, boolean connectedNow, boolean blockingApi,
            int connectTimeoutMillis) throws NativeCallException {
        if (!connecting.remove(fd)) {
            return;
        }
        boolean trusted = policy.trusted(hostNameOf(remote), remote.getAddress(), remote.getPort());
        DestinationHabits.Habit habit = habits.of(remote);
        if (!connectedNow || LinuxSocket.tcpInfo(fd).state() != TcpInfo.STATE_SYN_SENT) {
            counters.cookieMiss.increment(); // a full handshake, which also fetched a cookie
            if (connectedNow && habit == null) {
                // Followed only to learn who speaks first, for the connections that will defer.
                track(new TfoConnection(TfoConnection.State.HANDSHAKEN, fd, remote, trusted, blockingApi,
                        connectTimeoutMillis));
            }
            return;
        }
        counters.cookieHit.increment();
        TfoConnection c = new TfoConnection(TfoConnection.State.DEFERRED, fd, remote, trusted, blockingApi,
                connectTimeoutMillis);
        track(c);
        if (!blockingApi) {
            scheduleIdleOpen(c, habit == DestinationHabits.Habit.CLIENT_FIRST
                    ? Math.max(idleOpenMillis, CLIENT_FIRST_IDLE_OPEN_MS) : idleOpenMillis);
        }
    }

    private void track(TfoConnection c) {
        if (connections.put(c.fd, c) == null) {
            trackedChanged.accept(tracked.incrementAndGet());
        }
    }

    private void untrack(TfoConnection c) {
        if (connections.remove(c.fd, c)) {
            trackedChanged.accept(tracked.decrementAndGet());
        }
    }

    /** The connection behind {@code fd} while it is deferred or opening, else null (the usual case). */
    public Object tracked(int fd) {
        return connections.get(fd);
    }

    /**
     * Before a write on a tracked socket. On the first write, lets replay-safe bytes go into
     * the SYN, or opens the connection first with a bare SYN.
     *
     * @param bytes the bytes about to be written, classified only on the first write
     * @return the connection when the outcome of this write must be looked at afterwards
     */
    public TfoConnection beforeWrite(Object tracked, FirstBytes bytes) throws IOException {
        TfoConnection c = (TfoConnection) tracked;
        if (c.firstApplicationAct()) {
            habits.learn(c.remote, DestinationHabits.Habit.CLIENT_FIRST);
        }
        TfoConnection.Arrival arrival = c.arrive();
        if (arrival != TfoConnection.Arrival.FIRST) {
            return following(c, arrival);
        }
        startHandshakeClock(c);
        if (c.trusted || replaySafe(bytes)) {
            c.synData = true;
            counters.synData.increment();
        } else {
            counters.notReplaySafe.increment();
            open(c);
        }
        return c;
    }

    /**
     * After a write or read on a connection that was opening: a failure is a failed connect;
     * on success, the handshake is over once the socket left SYN_SENT, and a caller with a
     * connect timeout that is still waiting for the SYN-ACK waits here, bounded by it.
     *
     * @return what the application should see thrown instead, or null for no change
     */
    public Throwable afterIo(Object token, Throwable thrown) {
        TfoConnection c = (TfoConnection) token;
        try {
            if (thrown instanceof IOException) {
                return settle(c) && !(thrown instanceof ConnectException) && !(thrown instanceof SocketTimeoutException)
                        ? failedToConnect(thrown.getMessage(), thrown) : null;
            }
            synchronized (c) {
                if (c.state != TfoConnection.State.OPENING) {
                    return null;
                }
            }
            TcpInfo info = LinuxSocket.tcpInfo(c.fd);
            if (info.state() == TcpInfo.STATE_SYN_SENT) {
                if (c.blockingApi && c.connectTimeoutMillis > 0) {
                    awaitHandshake(c);
                }
            } else if (info.state() == TcpInfo.STATE_CLOSE) {
                // Refused or reset while the write was queued in the SYN: a failed connect.
                int error = LinuxSocket.takeError(c.fd);
                settle(c, info);
                return failedToConnect(error == 0 ? LinuxConstants.ECONNREFUSED : error);
            } else {
                settle(c, info); // what was just read says whether the SYN's data was acked
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Not the first: the outcome matters only while the handshake is open; the rest need no following. */
    private TfoConnection following(TfoConnection c, TfoConnection.Arrival arrival) {
        if (arrival == TfoConnection.Arrival.WHILE_OPENING) {
            return c;
        }
        untrack(c);
        return null;
    }

    /**
     * Whether the bytes may ride in the SYN. Anything going wrong while looking at them (a
     * buffer another thread changes under us) means no: the bare SYN is always safe.
     */
    private boolean replaySafe(FirstBytes bytes) {
        try {
            return bytes.classify(classifier) == FirstWriteVerdict.REPLAY_SAFE;
        } catch (RuntimeException e) {
            counters.errors.increment();
            return false;
        }
    }

    /** Before a read, shutdown or sendfile on a tracked socket: nothing may wait on a SYN that was never sent. */
    public TfoConnection beforeRead(Object tracked) throws IOException {
        TfoConnection c = (TfoConnection) tracked;
        if (c.firstApplicationAct()) {
            habits.learn(c.remote, DestinationHabits.Habit.SERVER_FIRST);
        }
        TfoConnection.Arrival arrival = c.arrive();
        if (arrival != TfoConnection.Arrival.FIRST) {
            return following(c, arrival);
        }
        startHandshakeClock(c);
        counters.readFirst.increment();
        open(c);
        return c;
    }

    /** Before the application closes the socket: its fd number is free for reuse after this. */
    public void beforeClose(int fd) {
        TfoConnection c = connections.remove(fd);
        if (c == null) {
            return;
        }
        trackedChanged.accept(tracked.decrementAndGet());
        if (c.firstApplicationAct()) {
            // Never read nor written: a connect-then-close check. Later connects to this
            // destination handshake for real, so the check learns the truth.
            habits.learn(c.remote, DestinationHabits.Habit.CONNECT_THEN_CLOSE);
        }
        TfoConnection.State was;
        synchronized (c) {
            was = c.state;
            c.state = TfoConnection.State.CLOSED;
        }
        if (c.idleOpen != null) {
            c.idleOpen.cancel(false);
        }
        if (was == TfoConnection.State.DEFERRED) {
            counters.closedUnwritten.increment(); // nothing was ever sent
        } else if (was == TfoConnection.State.OPENING) {
            countAcked(c, null);
        }
    }

    /**
     * A socket connecting on {@code fd} means any connection still recorded there is gone:
     * its socket was closed without close() (left to the garbage collector's cleaner).
     */
    private void forgetStale(int fd) {
        if (connections.remove(fd) != null) {
            trackedChanged.accept(tracked.decrementAndGet());
        }
    }

    /**
     * Sends the bare SYN without waiting; a caller that may block and has a connect timeout
     * waits for the answer here, bounded by it. Without a timeout, the application's own
     * blocking write or read that follows waits for the handshake, where closing the socket
     * can interrupt it.
     */
    private void open(TfoConnection c) throws IOException {
        try {
            LinuxSocket.sendEmpty(c.fd);
        } catch (NativeCallException e) {
            settle(c);
            throw failedToConnect(e.getMessage(), e);
        }
        if (c.blockingApi && c.connectTimeoutMillis > 0) {
            awaitHandshake(c);
        }
    }

    /**
     * A caller with a connect timeout gets it from its first write or read on: the kernel's
     * own wait for the handshake inside a blocking send is bounded by SO_SNDTIMEO, and the
     * agent's waits by the deadline.
     */
    private void startHandshakeClock(TfoConnection c) throws NativeCallException {
        if (c.blockingApi && c.connectTimeoutMillis > 0) {
            c.handshakeDeadline = System.nanoTime() + c.connectTimeoutMillis * 1_000_000L;
            LinuxSocket.setSendTimeout(c.fd, c.connectTimeoutMillis);
        }
    }

    /** Waits for the SYN-ACK until the connect timeout's deadline. */
    private void awaitHandshake(TfoConnection c) throws IOException {
        int remaining = (int) Math.max(0, (c.handshakeDeadline - System.nanoTime()) / 1_000_000L);
        int revents = LinuxSocket.awaitWritable(c.fd, remaining);
        if (revents == 0) {
            settle(c);
            counters.failedToConnect.increment();
            throw new SocketTimeoutException("Connect timed out");
        }
        int error = (revents & (LinuxConstants.POLLERR | LinuxConstants.POLLHUP)) != 0
                ? LinuxSocket.takeError(c.fd) : 0;
        settle(c);
        if (error != 0) {
            throw failedToConnect(error);
        }
    }

    /** Marks the handshake over; true when this call did it. */
    private boolean settle(TfoConnection c) {
        return settle(c, null);
    }

    /** @param info the socket's TCP_INFO if just read, else null to read it when needed */
    private boolean settle(TfoConnection c, TcpInfo info) {
        synchronized (c) {
            if (c.state != TfoConnection.State.OPENING) {
                return false;
            }
            c.state = TfoConnection.State.SETTLED;
        }
        untrack(c);
        if (c.handshakeDeadline != 0) {
            try {
                LinuxSocket.setSendTimeout(c.fd, 0); // the application's later writes wait as long as they need
            } catch (NativeCallException e) {
                // the socket failed or was closed: nothing to restore
            }
        }
        countAcked(c, info);
        return true;
    }

    private void countAcked(TfoConnection c, TcpInfo known) {
        if (c.synData) {
            try {
                if ((known != null ? known : LinuxSocket.tcpInfo(c.fd)).synData()) {
                    counters.synDataAcked.increment();
                }
            } catch (NativeCallException e) {
                // closed under us: the data's fate is unknown, so it is not counted as acked
            }
        }
    }

    private IOException failedToConnect(int errno) {
        counters.failedToConnect.increment();
        log.once("connect-failed:" + errno, "a deferred connection failed to open (errno " + errno + ");"
                + " the application sees it as a failed connect");
        switch (errno) {
            case LinuxConstants.ECONNREFUSED:
                return new ConnectException("Connection refused");
            case LinuxConstants.EHOSTUNREACH:
                return new NoRouteToHostException("No route to host");
            default:
                return new ConnectException("Connection failed (errno " + errno + ")");
        }
    }

    private IOException failedToConnect(String message, Throwable cause) {
        counters.failedToConnect.increment();
        log.once("connect-failed:" + cause.getClass().getName(), "a deferred connection failed to open (" + cause
                + "); the application sees it as a failed connect");
        ConnectException e = new ConnectException(message);
        e.initCause(cause);
        return e;
    }

    /** A non-blocking socket that neither writes nor reads soon (waiting for OP_READ) gets its SYN sent. */
    private void scheduleIdleOpen(TfoConnection c, int delayMillis) {
        ScheduledThreadPoolExecutor timer = idleOpener;
        if (timer == null) {
            synchronized (this) {
                timer = idleOpener;
                if (timer == null) {
                    timer = new ScheduledThreadPoolExecutor(1, task -> {
                        Thread t = new Thread(task, "tfo-agent-idle-open");
                        t.setDaemon(true);
                        return t;
                    });
                    timer.setRemoveOnCancelPolicy(true);
                    idleOpener = timer;
                }
            }
        }
        c.idleOpen = timer.schedule(() -> openIdle(c), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void openIdle(TfoConnection c) {
        synchronized (c) {
            // Under the lock: a concurrent close waits, so the fd cannot be another socket's yet.
            if (c.arrive() != TfoConnection.Arrival.FIRST) {
                return;
            }
            counters.openedIdle.increment();
            try {
                LinuxSocket.sendEmpty(c.fd);
            } catch (NativeCallException e) {
                // Refused or unreachable: the application's next read or write reports it.
            }
        }
    }

    /** The name the application connected to, if the JDK still knows it (no reverse lookup). */
    private static String hostNameOf(InetSocketAddress remote) {
        String host = remote.getHostString();
        return host.equals(remote.getAddress().getHostAddress()) || host.indexOf(':') >= 0 ? null : host;
    }
}
