package io.tfoagent.core.client;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Client-side TFO (DESIGN.md section 4). On connect to an allowed destination it sets
 * TCP_FASTOPEN_CONNECT; when the kernel defers the connect (cookie cached), the socket is
 * followed until its first write, which either rides in the SYN (replay-safe bytes) or is
 * preceded by a bare SYN (anything else). Reads before any write, idle non-blocking sockets
 * and closes open or settle the connection; a connection whose SYN was never acked is
 * reported as the failed connect it is.
 *
 * <p>Every socket is found by the object that owns its number, the JDK's {@link FileDescriptor}
 * or Netty's ({@link ConnectionTable}),
 * and every decision about its SYN is made by {@link TfoConnection}'s gate.
 */
public final class ClientFastOpen {
    /**
     * How long a deferred non-blocking socket to a destination known to be written to first
     * may wait for its first write before the agent opens it: only a safety net, since the
     * first write is expected; long enough for a cold TLS stack to produce its ClientHello.
     */
    static final int CLIENT_FIRST_IDLE_OPEN_MS = 1000;
    /** A call's count not passed (the bridge's {@code TfoBridge.UNKNOWN_COUNT}, the same -1). */
    public static final long COUNT_UNKNOWN = -1;
    /**
     * A first write longer than this may not fit in the SYN (an Ethernet MSS of 1460, less
     * TCP options). The kernel then returns a partial write, and the JDK waits for the rest
     * with no timeout of its own, so with a connect timeout such a write goes after a bare
     * SYN and a wait for the handshake that the timeout bounds.
     */
    static final long SYN_DATA_LIMIT = 1400;

    /** What {@link #beforeConnect} did: nothing to follow. */
    public static final int CONNECT_UNTOUCHED = 0;
    /** TCP_FASTOPEN_CONNECT is set: {@link #afterConnect} must see the outcome. */
    public static final int CONNECT_FAST_OPEN = 1;
    /** A plain connect to a suspect destination, whose outcome (it opened) the agent wants to hear. */
    public static final int CONNECT_OBSERVED = 2;
    /**
     * What {@link #afterIo} answers when the call must be made again: its socket, whose SYN
     * data was reset, is connected again without TFO (ResetRecovery). Never thrown.
     */
    public static final IOException CALL_AGAIN = new IOException("tfo-agent: make the call again");

    private final FirstWriteClassifier classifier;
    private final int idleOpenMillis;
    private final AgentLog log;
    private final ClientKernel kernel;
    private final ClientCounters counters;
    private final DestinationHabits habits;
    private final DestinationHealth health;
    private final ConnectAdmission admission;
    private final ConnectFailures failures;
    private final FollowedSocketCalls calls;
    private final ConnectTimeout connectTimeout;
    private final ResetRecovery recovery;
    private final ConnectionTable connections;
    private final LongSupplier clock;
    private final IdleOpener idleOpener;
    /**
     * PENDING until every JDK class the client side needs is woven, then READY, or OFF for
     * good: deferring a connect is safe only when every way a first write can take is gated
     * (a socket woven without FileChannelImpl's transferTo, say, would let sendfile's bytes
     * ride in the SYN unclassified).
     */
    private final AtomicInteger readiness = new AtomicInteger(PENDING);
    private volatile boolean nativeUnavailable;
    /**
     * dry-run=true: no connect is deferred; every connection that would have been is followed
     * (FOLLOWED) until the application's first act, which is classified and counted ({@link #dryRunAct}).
     */
    private final boolean dryRun;

    private static final int PENDING = 0;
    private static final int READY = 1;
    private static final int OFF = 2;

    /**
     * @param tracked the count of followed sockets, read by the bridge to skip all work on
     *                other sockets while it is 0; changed only by this object
     */
    public ClientFastOpen(DestinationPolicy policy, FirstWriteClassifier classifier, ClientTimings timings,
            AgentLog log, ClientKernel kernel, AtomicInteger tracked, boolean dryRun) {
        this(policy, classifier, timings, log, kernel, tracked, new IdleOpener(), System::nanoTime, dryRun);
    }

    /** @param clock nanoseconds, as System.nanoTime (tests give their own) */
    ClientFastOpen(DestinationPolicy policy, FirstWriteClassifier classifier, ClientTimings timings, AgentLog log,
            ClientKernel kernel, AtomicInteger tracked, IdleOpener idleOpener, LongSupplier clock, boolean dryRun) {
        this.dryRun = dryRun;
        this.counters = new ClientCounters(dryRun);
        this.idleOpener = idleOpener;
        this.idleOpenMillis = timings.idleOpenMillis();
        this.habits = new DestinationHabits(clock);
        this.health = new DestinationHealth(timings.backoffMillis(), timings.maxBackoffMillis(), clock);
        this.classifier = classifier;
        this.log = log;
        this.kernel = kernel;
        this.admission = new ConnectAdmission(policy, habits, counters);
        this.failures = new ConnectFailures(counters, log);
        this.calls = new FollowedSocketCalls(kernel);
        this.connectTimeout = new ConnectTimeout(calls, clock);
        this.recovery = new ResetRecovery(calls, connectTimeout, clock);
        this.connections = new ConnectionTable(tracked);
        this.clock = clock;
    }

    public ClientCounters counters() {
        return counters;
    }

    /** The {@code top} destinations by connections, with their backoff state. */
    public List<DestinationView.Row> destinations(int top) {
        return counters.destinations.top(top, health::standing);
    }

    /** Every JDK class of the client side carries its advice: connects may be deferred from now on. */
    public void weavingDone() {
        readiness.compareAndSet(PENDING, READY);
    }

    /**
     * A JDK class of the client side could not be woven: no connect is deferred any more, and
     * every socket still deferred gets its bare SYN now, before any write the advice might
     * not see.
     */
    public void weavingFailed(String reason) {
        if (readiness.getAndSet(OFF) == OFF) {
            return;
        }
        log.line("client TFO off: " + reason + "; connections go without it");
        for (TfoConnection c : connections.all()) {
            abandon(c);
        }
    }

    /**
     * Before connect(): what it did, to be handed to {@link #afterConnect}: one of
     * {@link #CONNECT_UNTOUCHED}, {@link #CONNECT_FAST_OPEN} (TCP_FASTOPEN_CONNECT set),
     * {@link #CONNECT_OBSERVED}.
     */
    public int beforeConnect(Object socket, int fd, InetSocketAddress remote) {
        connections.forgetOthersAt(socket, fd);
        if (nativeUnavailable || remote == null || remote.isUnresolved() || !admission.mayDefer(remote)) {
            return CONNECT_UNTOUCHED;
        }
        if (readiness.get() != READY) {
            counters.count(ClientOutcome.NOT_READY, remote); // the agent's warm-up never delays a connection
            return CONNECT_UNTOUCHED;
        }
        switch (health.verdict(remote)) {
            case SUSPECT:
                counters.count(ClientOutcome.AFTER_FAILURE, remote); // connect() reports the truth, as without the agent
                return CONNECT_OBSERVED;
            case BACKED_OFF:
                counters.count(ClientOutcome.BACKED_OFF, remote);
                return CONNECT_UNTOUCHED;
            default:
                break;
        }
        try {
            if (!dryRun) {
                kernel.setFastOpenConnect(fd, true);
            }
            counters.count(ClientOutcome.ALLOWED, remote);
            return CONNECT_FAST_OPEN;
        } catch (NativeCallException e) {
            if (!e.isUnsupported()) {
                counters.count(ClientOutcome.ERROR, remote);
                log.once("connect:" + e.errno(), "cannot ask for TFO on a client socket: " + e.getMessage());
            }
            return CONNECT_UNTOUCHED;
        } catch (LinkageError e) {
            nativeUnavailable = true;
            log.once("native", "cannot call libc through JNA (" + e + "); client TFO stays off in this JVM");
            return CONNECT_UNTOUCHED;
        }
    }

    /**
     * After connect(). For one {@link #beforeConnect} prepared that connect() reported
     * connected, the kernel deferred the connect when the socket is still in SYN_SENT.
     *
     * @param how what beforeConnect answered
     * @param connectedNow false when connect() failed or a non-blocking connect is pending
     * @param blockingApi whether the application's calls on this socket may block
     * @param connectTimeoutMillis the application's connect timeout, 0 for none
     */
    public void afterConnect(Object socket, int fd, InetSocketAddress remote, int how,
            boolean connectedNow, boolean blockingApi, int connectTimeoutMillis) throws NativeCallException {
        if (how == CONNECT_OBSERVED) {
            if (connectedNow) {
                health.opened(remote);
            } else if (blockingApi) {
                health.plainConnectFailed(remote); // a blocking connect() that did not connect failed
            }
            return;
        }
        if (how != CONNECT_FAST_OPEN) {
            return;
        }
        boolean trusted = admission.trusted(remote);
        if (dryRun) {
            // A blocking connect() that did not connect failed: nothing would have been deferred.
            if (connectedNow || !blockingApi) {
                connections.add(new TfoConnection(false, socket, fd, remote, trusted, blockingApi,
                        connectTimeoutMillis));
            }
            return;
        }
        DestinationHabits.Habit habit = habits.of(remote);
        if (!connectedNow || kernel.tcpInfo(fd).state() != TcpInfo.STATE_SYN_SENT) {
            counters.count(ClientOutcome.NO_COOKIE, remote); // a full handshake, which also fetched a cookie
            if (connectedNow && habit == null) {
                // Followed only to learn who speaks first, for the connections that will defer.
                connections.add(new TfoConnection(false, socket, fd, remote, trusted, blockingApi,
                        connectTimeoutMillis));
            }
            return;
        }
        counters.cookieHit.increment();
        TfoConnection c = new TfoConnection(true, socket, fd, remote, trusted, blockingApi, connectTimeoutMillis);
        connections.add(c);
        if (!blockingApi) {
            int delay = habit == DestinationHabits.Habit.CLIENT_FIRST
                    ? Math.max(idleOpenMillis, CLIENT_FIRST_IDLE_OPEN_MS) : idleOpenMillis;
            c.idleOpenScheduled(idleOpener.schedule(new IdleOpen(c), delay));
        }
    }

    /**
     * A non-blocking connect that was pending finished ({@code SocketChannel.finishConnect()}):
     * {@code connected}, or failed.
     */
    public void afterFinishConnect(InetSocketAddress remote, boolean connected) {
        if (connected) {
            health.opened(remote);
        } else {
            health.plainConnectFailed(remote);
        }
    }

    /** The followed connection of this very socket, else null (the usual case). */
    public TfoConnection find(Object socket, int fd) {
        return connections.find(socket, fd);
    }

    /** The followed connection at this number, whichever object owns it (see ConnectionTable#atNumber), or null. */
    public TfoConnection findByNumber(int fd) {
        return connections.atNumber(fd);
    }

    /**
     * Before a write on a followed socket. The first writer lets replay-safe bytes go into
     * the SYN, or opens the connection first with a bare SYN; until {@link #afterIo} it holds
     * every other writer of the socket (see TfoConnection).
     *
     * @param bytes the bytes about to be written, classified only on the first write
     * @return the connection when the outcome of this write must be looked at afterwards
     */
    public TfoConnection beforeWrite(TfoConnection c, FirstBytes bytes) throws IOException {
        if (dryRun) {
            dryRunAct(c, DestinationHabits.Habit.CLIENT_FIRST, bytes);
            return null;
        }
        actAndLearn(c, DestinationHabits.Habit.CLIENT_FIRST);
        TfoConnection.Arrival arrival = c.arriveToWrite();
        if (arrival != TfoConnection.Arrival.FIRST) {
            return following(c, arrival);
        }
        try {
            connectTimeout.start(c);
            ClientOutcome choice = firstWriteChoice(c, bytes);
            if (choice != ClientOutcome.WOULD_RIDE_IN_SYN) {
                counters.count(choice, c.remote);
                open(c);
            } else {
                // A copy, for a reconnect to send again (ResetRecovery).
                long length = bytes.length();
                c.rodeInSyn(clock.getAsLong(), bytes, length >= 0 && length <= SYN_DATA_LIMIT ? bytes.copy() : null);
                if (ConnectTimeout.applies(c)) {
                    c.blockingToRestore(calls.makeNonBlocking(c)); // the kernel must not wait in this send
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            abandon(c); // no first write follows this one's failure unclassified into a SYN
            throw e;
        }
    }

    /** Before a read, shutdown or sendfile on a followed socket: nothing may wait on a SYN that was never sent. */
    public TfoConnection beforeRead(TfoConnection c) throws IOException {
        if (dryRun) {
            dryRunAct(c, DestinationHabits.Habit.SERVER_FIRST, null);
            return null;
        }
        actAndLearn(c, DestinationHabits.Habit.SERVER_FIRST);
        TfoConnection.Arrival arrival = c.arriveToRead();
        if (arrival != TfoConnection.Arrival.FIRST) {
            return following(c, arrival);
        }
        counters.count(ClientOutcome.READ_FIRST, c.remote);
        try {
            connectTimeout.start(c);
            open(c);
            return c;
        } catch (IOException | RuntimeException e) {
            abandon(c);
            throw e;
        }
    }

    /**
     * The agent cannot follow this socket any more (its own failure, or the fd failed under
     * it): if the kernel still defers the SYN, the bare SYN goes out now, so that nothing
     * written later rides in it unclassified; then the socket is let go.
     */
    public void abandon(TfoConnection c) {
        calls.sendBareSynQuietly(c);
        if (c.takeBlockingToRestore()) {
            calls.makeBlocking(c);
        }
        settle(c, null, false);
    }

    /**
     * The application acts on the socket: on a connection that opened before (a normal
     * handshake) its first act is the destination's habit at once; on a deferred one, only
     * once the connection opens (see settle).
     */
    private void actAndLearn(TfoConnection c, DestinationHabits.Habit shows) {
        if (c.act(shows) && c.state() == TfoConnection.State.FOLLOWED) {
            habits.learn(c.remote, c.takeHabitShown());
        }
    }

    /**
     * Not the first: the outcome matters only while the handshake is open, and a caller with
     * a connect timeout waits for it here, bounded by it; the rest need no following.
     */
    private TfoConnection following(TfoConnection c, TfoConnection.Arrival arrival) throws IOException {
        if (arrival != TfoConnection.Arrival.WHILE_OPENING) {
            connections.remove(c);
            return null;
        }
        if (ConnectTimeout.applies(c) && !c.isFirstWriteOfCurrentThread()) {
            TcpInfo info = calls.tcpInfo(c);
            if (info != null && info.state() == TcpInfo.STATE_SYN_SENT) {
                awaitHandshake(c);
                return null;
            }
        }
        return c;
    }

    /**
     * After a write or read the agent followed. Ends the first write (letting the writers it
     * held go), and looks at what the kernel says: a handshake that completed settles the
     * connection; a failure is reported as a failed connect only when the kernel proves the
     * SYN was never acked, unless the socket can be connected again without TFO (then the
     * answer is {@link #CALL_AGAIN}, for a caller that can make its call again).
     *
     * @param callerRepeats the call can be made again: a java.net.Socket, channel or Netty
     *                      native read or write, whose advice repeats it on {@link #CALL_AGAIN}
     * @return what the application should see thrown instead, or null for no change
     */
    public Throwable afterIo(TfoConnection c, Throwable thrown, boolean callerRepeats) {
        return afterIo(c, thrown, callerRepeats, COUNT_UNKNOWN);
    }

    /**
     * As above, after a write that returned {@code written} ({@link #COUNT_UNKNOWN} when its
     * buffers tell what it took, as the JDK's writes move them; Netty's native writes do not).
     */
    public Throwable afterIo(TfoConnection c, Throwable thrown, boolean callerRepeats, long written) {
        boolean firstWrite = c.isFirstWriteOfCurrentThread();
        TcpInfo info = calls.tcpInfo(c);
        if (firstWrite) {
            if (c.takeBlockingToRestore()) {
                calls.makeBlocking(c);
            }
            // Nothing went out when the write threw before it reached the kernel: the socket is
            // still deferred, and the next write is a first write again.
            boolean nothingSent = info != null && info.state() == TcpInfo.STATE_SYN_SENT && info.segmentsOut() == 0;
            // A first write that met the failed handshake itself is made again whole; claimed
            // before the write ends, so that a reader that met the failure too waits for it.
            boolean reconnecting = !nothingSent && callerRepeats && thrown instanceof IOException && info != null
                    && info.handshakeNeverCompleted() && recovery.applies(c, (IOException) thrown)
                    && recovery.claim(c, true);
            if (thrown == null) {
                c.firstWriteReturned(written); // before the write ends: a reader woken by its end needs its bytes
            }
            c.endFirstWrite(nothingSent);
            if (nothingSent) {
                return null;
            }
            if (c.synData()) {
                counters.synData.increment();
            }
            if (reconnecting) {
                return reconnected(c, recovery.reconnect(c, false));
            }
        }
        if (info == null) {
            abandon(c); // closed by the application, or the fd failed: the JDK's outcome stands
            return null;
        }
        if (thrown != null) {
            boolean neverOpened = thrown instanceof IOException && info.handshakeNeverCompleted();
            IOException saved = neverOpened && callerRepeats && !firstWrite ? saveByReconnect(c, (IOException) thrown)
                    : null;
            if (saved != null) {
                return saved;
            }
            settle(c, info, neverOpened);
            return neverOpened ? failures.instead((IOException) thrown) : null;
        }
        if (info.state() == TcpInfo.STATE_SYN_SENT) {
            return null; // still opening: a caller with a connect timeout waits at its next act
        }
        if (info.state() == TcpInfo.STATE_CLOSE && info.handshakeNeverCompleted()) {
            if (firstWrite) {
                // Refused or unreachable while the write sat in the SYN. The kernel took the bytes,
                // so the write stands; its pending error fails the next read or write, which is
                // followed and reported as the connect failure (a non-blocking stack reads next and
                // sees it there, where it looks for a failed connection).
                return null;
            }
            // A read or write that returned normally on a connection that never opened (its
            // error taken by an earlier call): the one late connect failure, unless saved.
            IOException saved = callerRepeats ? saveByReconnect(c, null) : null;
            if (saved != null) {
                return saved;
            }
            int error = calls.takeError(c);
            settle(c, info, true);
            return failures.fromErrno(error == 0 ? LinuxConstants.ECONNREFUSED : error);
        }
        settle(c, info, false);
        return null;
    }

    /** Before the application closes the socket (before the JDK closes its fd). */
    public void beforeClose(Object socket, int fd) {
        TfoConnection c = connections.find(socket, fd);
        if (c == null) {
            return;
        }
        connections.remove(c);
        if (c.act(DestinationHabits.Habit.CONNECT_THEN_CLOSE)) {
            // Never read nor written: a connect-then-close check. Later connects to this
            // destination handshake for real, so the check learns the truth.
            habits.learn(c.remote, c.takeHabitShown());
            if (dryRun) {
                counters.count(ClientOutcome.CLOSED_UNWRITTEN, c.remote);
            }
        }
        TcpInfo info = c.isOpening() ? calls.tcpInfo(c) : null;
        TfoConnection.State was = c.close();
        if (was == TfoConnection.State.DEFERRED) {
            counters.count(ClientOutcome.CLOSED_UNWRITTEN, c.remote); // nothing was ever sent
        } else if (was == TfoConnection.State.OPENING || was == TfoConnection.State.FIRST_WRITE) {
            if (was == TfoConnection.State.FIRST_WRITE && c.synData()) {
                counters.synData.increment(); // its write's end finds the socket closed, and counts nothing
            }
            // Closed while its SYN, sent again already, was still unanswered: the application gave
            // up on a destination that does not answer (a non-blocking client's own timeout).
            boolean unanswered = info != null && info.state() == TcpInfo.STATE_SYN_SENT
                    && info.totalRetransmits() > 0;
            learnFromHandshake(c, info, unanswered);
        }
    }

    /**
     * dry-run=true: the application's first act on a connection that would have been deferred,
     * counted as the real run would count it (its SYN would have carried the write, or why not),
     * learned from as a normal handshake's first act is, and the socket let go untouched. Only the
     * first act counts, whichever thread makes it; an idle non-blocking socket is classified by
     * its first act too (the idle opening is not played out).
     *
     * @param bytes the first write's bytes; null for a read
     */
    private void dryRunAct(TfoConnection c, DestinationHabits.Habit shows, FirstBytes bytes) {
        if (!c.act(shows)) {
            return;
        }
        connections.remove(c);
        habits.learn(c.remote, c.takeHabitShown());
        counters.count(dryRunOutcome(c, bytes), c.remote);
    }

    /** What a real run would have made of this first act: the choice {@link #beforeWrite} makes, or a read's. */
    private ClientOutcome dryRunOutcome(TfoConnection c, FirstBytes bytes) {
        return bytes == null ? ClientOutcome.READ_FIRST : firstWriteChoice(c, bytes);
    }

    /**
     * How a first write goes: in the SYN ({@link ClientOutcome#WOULD_RIDE_IN_SYN}), or after a bare
     * SYN because it is not replay-safe, or too large for a caller with a connect timeout.
     */
    private ClientOutcome firstWriteChoice(TfoConnection c, FirstBytes bytes) {
        long length = bytes.length();
        if (!c.trusted && !replaySafe(bytes)) {
            return ClientOutcome.NOT_REPLAY_SAFE;
        }
        if (ConnectTimeout.applies(c) && (length < 0 || length > SYN_DATA_LIMIT)) {
            return ClientOutcome.TOO_LARGE_WITH_TIMEOUT;
        }
        return ClientOutcome.WOULD_RIDE_IN_SYN;
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

    /**
     * Sends the bare SYN without waiting; a caller that may block and has a connect timeout
     * waits for the answer here, bounded by it. Without a timeout, the application's own
     * blocking write or read that follows waits for the handshake, where closing the socket
     * can interrupt it.
     */
    private void open(TfoConnection c) throws IOException {
        try {
            calls.sendBareSyn(c);
        } catch (NativeCallException e) {
            throw failures.fromErrno(e.errno());
        }
        if (ConnectTimeout.applies(c)) {
            awaitHandshake(c);
        }
    }

    /**
     * Waits for the SYN-ACK until the connect timeout's deadline; the handshake is over either
     * way. SYN data answered with a reset is saved here, before the caller's call is made.
     */
    private void awaitHandshake(TfoConnection c) throws IOException {
        IOException failed = connectTimeout.awaitHandshake(c);
        IOException saved = failed != null ? saveByReconnect(c, failed) : null;
        if (saved == CALL_AGAIN) {
            return; // open again, what rode in the SYN sent again: the caller's call goes on
        }
        if (saved != null) {
            throw saved;
        }
        settle(c, null, failed != null);
        if (failed != null) {
            throw failures.reported(failed);
        }
    }

    /**
     * A call other than the first write met a handshake that never completed, on a socket whose
     * SYN data may have been the trouble: once the socket is reconnected (by this thread, or by
     * the first writer, which it waits for), the call is made again ({@link #CALL_AGAIN}).
     *
     * @return CALL_AGAIN, the reconnect's failure, or null when it cannot be saved
     */
    private IOException saveByReconnect(TfoConnection c, IOException failure) {
        if (!recovery.applies(c, failure)) {
            return null;
        }
        if (c.awaitOthersThenReconnected()) {
            return CALL_AGAIN;
        }
        return recovery.claim(c, false) ? reconnected(c, recovery.reconnect(c, true)) : null;
    }

    /**
     * The end of a reconnect ({@link ResetRecovery}): opened, the SYN data was the trouble,
     * and the destination is backed off; failed, the destination is down, and that failure is
     * what connect() would have thrown.
     *
     * @return {@link #CALL_AGAIN}, or the failure to throw
     */
    private IOException reconnected(TfoConnection c, IOException failed) {
        if (c.settle()) {
            connections.remove(c);
            if (failed == null) {
                counters.count(ClientOutcome.RECONNECTED, c.remote);
                log.once("reconnected", "SYN data was answered with a reset where a plain SYN gets through"
                        + " (a middlebox?): such connections are connected again without TFO, and their"
                        + " destinations backed off");
                DestinationHabits.Habit shown = c.takeHabitShown();
                if (shown != null) {
                    habits.learn(c.remote, shown);
                }
                health.synDataReset(c.remote);
            } else {
                counters.count(ClientOutcome.SYN_DATA_CONNECT_FAILED, c.remote); // claimed: its data rode in the SYN
                health.deferredConnectFailed(c.remote, false);
            }
        }
        return failed == null ? CALL_AGAIN : failures.reported(failed);
    }

    /**
     * Marks the handshake over and stops following the socket, once.
     *
     * @param info TCP_INFO if just read, else null to read it now
     * @param failed the caller knows the connect failed (refused, timed out, its SYN never acked)
     */
    private void settle(TfoConnection c, TcpInfo info, boolean failed) {
        if (!c.settle()) {
            return;
        }
        connections.remove(c);
        learnFromHandshake(c, info != null ? info : calls.tcpInfo(c), failed);
    }

    /**
     * What a deferred connection's handshake showed, once it is over: the habit its first act
     * showed (only once it opened), whether its SYN data was acked, and the destination's
     * health. {@code info} null: closed under us, nothing to learn.
     */
    private void learnFromHandshake(TfoConnection c, TcpInfo info, boolean failed) {
        if (failed) {
            if (c.synData()) {
                counters.count(ClientOutcome.SYN_DATA_CONNECT_FAILED, c.remote);
            }
            health.deferredConnectFailed(c.remote, c.synData());
            return;
        }
        if (info == null || !info.handshakeCompleted()) {
            if (c.synData()) {
                counters.count(ClientOutcome.SYN_DATA_UNSETTLED, c.remote);
            }
            return;
        }
        DestinationHabits.Habit shown = c.takeHabitShown();
        if (shown != null) {
            habits.learn(c.remote, shown);
        }
        if (!c.synData()) {
            health.opened(c.remote);
        } else if (info.synData()) {
            counters.count(ClientOutcome.SAVED, c.remote);
            health.synDataAcked(c.remote);
        } else {
            counters.count(ClientOutcome.SYN_DATA_NOT_ACKED, c.remote);
            health.synDataNotAcked(c.remote, info.fastOpenClientFail() == TcpInfo.FASTOPEN_SYN_RETRANSMITTED
                    || info.totalRetransmits() > 0);
        }
    }

    /** The idle timer's task: a non-blocking socket that neither writes nor reads soon gets its SYN sent. */
    private final class IdleOpen implements Runnable {
        private final TfoConnection c;

        IdleOpen(TfoConnection c) {
            this.c = c;
        }

        @Override
        public void run() {
            if (!c.arriveIdleAndLock()) {
                return;
            }
            try {
                counters.count(ClientOutcome.OPENED_IDLE, c.remote);
                kernel.sendEmpty(c.fd); // the lock is held, the socket not closed
            } catch (NativeCallException e) {
                // Refused or unreachable: the application's next read or write reports it.
            } finally {
                c.unlock();
            }
        }
    }
}
