package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel of client sockets, as TCP_FASTOPEN_CONNECT makes them, for the state machine's
 * unit tests: a deferred socket holds its SYN until the first send, which carries that
 * send's bytes (the SYN's data) or none (a zero-length send: the bare SYN). fd numbers are
 * reused at once, as Linux does, so a call on a stale number reaches the newer socket,
 * which the tests then catch. Thread-safe: tests drive it from several threads.
 */
final class FakeKernel implements ClientKernel {
    /** One socket, for as long as its number is not reused. */
    static final class Socket {
        final int fd;
        int state = TcpInfo.STATE_SYN_SENT;
        boolean synSent;
        /** What rode in the SYN: null for a bare SYN or none yet. */
        byte[] synData;
        boolean synDataAcked;
        boolean nonBlocking;
        /** The SYN had to be retransmitted (a middlebox dropped the one with data). */
        boolean synRetransmitted;
        long bytesAcked;
        int pendingError;
        boolean fastOpenConnect;
        /** A plain connect is refused too: the server is down (else only SYNs with data are). */
        boolean refusesPlainConnects;
        /** A plain connect's SYN goes unanswered (the path went dead after the reset). */
        boolean dropsPlainSyns;
        /** The failed attempt's leftover, which the kernel reports to the next connect() (ECONNABORTED). */
        boolean failedAttemptLeft;
        /** connect() calls after the first, each a new connection. */
        int reconnects;
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<String> calls = new ArrayList<>();

        Socket(int fd) {
            this.fd = fd;
        }

        String synDataText() {
            return synData == null ? null : new String(synData, StandardCharsets.ISO_8859_1);
        }
    }

    private final Map<Integer, Socket> open = new HashMap<>();
    private final List<Socket> all = new ArrayList<>();
    private final AtomicInteger awaits = new AtomicInteger();
    private volatile Runnable whileWaiting = () -> { };

    /** A socket whose connect() the kernel deferred (cookie cached), on {@code fd}. */
    synchronized Socket deferred(int fd) {
        Socket s = new Socket(fd);
        open.put(fd, s);
        all.add(s);
        return s;
    }

    /** A socket that did a full handshake (no cookie), on {@code fd}. */
    synchronized Socket handshaken(int fd) {
        Socket s = deferred(fd);
        s.synSent = true;
        s.state = TcpInfo.STATE_ESTABLISHED;
        s.bytesAcked = 1;
        return s;
    }

    /** A socket Netty just made (socket(2)), not connecting yet, on {@code fd}. */
    synchronized Socket fresh(int fd) {
        Socket s = deferred(fd);
        s.state = TcpInfo.STATE_CLOSE;
        return s;
    }

    /**
     * Netty's JNI connect() on a fresh socket: deferred when TCP_FASTOPEN_CONNECT is on and a
     * {@code cookie} is cached (connect() returns 0: connected), else a handshake under way (EINPROGRESS).
     */
    synchronized boolean jniConnect(int fd, boolean cookie) {
        Socket s = open.get(fd);
        s.state = TcpInfo.STATE_SYN_SENT;
        if (s.fastOpenConnect && cookie) {
            return true;
        }
        s.synSent = true;
        return false;
    }

    synchronized Socket at(int fd) {
        return open.get(fd);
    }

    synchronized List<Socket> sockets() {
        return new ArrayList<>(all);
    }

    /** The JDK writes {@code text} (a send that reaches the kernel). */
    synchronized void jdkWrite(int fd, String text) {
        Socket s = open.get(fd);
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (!s.synSent) {
            s.synSent = true;
            s.synData = bytes;
        }
        s.stream.writeBytes(bytes);
    }

    /** The JDK closes the fd: its number is free for the next socket. */
    synchronized void jdkClose(int fd) {
        open.remove(fd);
    }

    /** The peer answered the SYN; {@code acceptData}: it took what rode in it. */
    synchronized void synAcked(int fd, boolean acceptData) {
        Socket s = open.get(fd);
        s.state = TcpInfo.STATE_ESTABLISHED;
        s.synDataAcked = acceptData && s.synData != null;
        s.bytesAcked = 1 + (s.synDataAcked ? s.synData.length : 0);
    }

    /** The SYN with data was dropped; the kernel's bare retransmit got through and was answered. */
    synchronized void synDataDropped(int fd) {
        Socket s = open.get(fd);
        s.synRetransmitted = true;
        s.state = TcpInfo.STATE_ESTABLISHED;
        s.bytesAcked = 1;
    }

    /** The SYN (with its data) went unanswered and was sent again: a dead destination, so far. */
    synchronized void synUnanswered(int fd) {
        open.get(fd).synRetransmitted = true;
    }

    /** A connect() without TFO: the handshake completed within it. */
    synchronized void connectedNormally(int fd) {
        Socket s = open.get(fd);
        s.synSent = true;
        s.state = TcpInfo.STATE_ESTABLISHED;
        s.bytesAcked = 1;
    }

    /** The destination answered the SYN with a RST: nothing listens there (a plain connect is refused too). */
    synchronized void refused(int fd) {
        resetSyn(fd).refusesPlainConnects = true;
    }

    /** The SYN with data was reset, and then the path went silent: the plain SYN is never answered. */
    synchronized void synDataResetThenSilence(int fd) {
        resetSyn(fd).dropsPlainSyns = true;
    }

    /** A middlebox answered the SYN that carried data with a RST; a plain SYN gets through. */
    synchronized void synDataReset(int fd) {
        resetSyn(fd);
    }

    private Socket resetSyn(int fd) {
        Socket s = open.get(fd);
        s.state = TcpInfo.STATE_CLOSE;
        s.pendingError = LinuxConstants.ECONNREFUSED;
        s.failedAttemptLeft = true;
        return s;
    }

    /** An established connection reset by the peer. */
    synchronized void reset(int fd) {
        open.get(fd).state = TcpInfo.STATE_CLOSE;
    }

    @Override
    public synchronized void setFastOpenConnect(int fd, boolean on) throws NativeCallException {
        socket(fd, on ? "setFastOpenConnect" : "clearFastOpenConnect").fastOpenConnect = on;
    }

    /**
     * A reconnect of a socket whose connect failed: ECONNABORTED once for the failed attempt's
     * leftover, then a plain connection, refused where the destination refuses everything,
     * else open at once (as on loopback), its stream begun anew.
     */
    @Override
    public synchronized boolean connect(int fd, InetSocketAddress remote) throws NativeCallException {
        Socket s = socket(fd, "connect");
        if (s.state != TcpInfo.STATE_CLOSE || s.fastOpenConnect) {
            throw new NativeCallException("connect", LinuxConstants.EINVAL, "the fake reconnects closed sockets only,"
                    + " without TCP_FASTOPEN_CONNECT");
        }
        if (s.failedAttemptLeft) {
            s.failedAttemptLeft = false;
            throw new NativeCallException("connect", LinuxConstants.ECONNABORTED, "Software caused connection abort");
        }
        s.reconnects++;
        s.synData = null;
        s.stream.reset();
        if (s.dropsPlainSyns) {
            s.state = TcpInfo.STATE_SYN_SENT;
            return false; // in progress, for good
        }
        if (s.refusesPlainConnects) {
            s.pendingError = LinuxConstants.ECONNREFUSED;
            return false; // in progress, and then refused: the wait finds it closed
        }
        s.state = TcpInfo.STATE_ESTABLISHED;
        s.bytesAcked = 1;
        return true;
    }

    @Override
    public synchronized int sendNow(int fd, byte[] bytes, int offset) throws NativeCallException {
        Socket s = socket(fd, "sendNow");
        s.stream.write(bytes, offset, bytes.length - offset);
        return bytes.length - offset;
    }

    @Override
    public synchronized TcpInfo tcpInfo(int fd) throws NativeCallException {
        Socket s = socket(fd, "tcpInfo");
        return TcpInfo.ofClient(s.state, s.synDataAcked ? TcpInfo.OPT_SYN_DATA : 0,
                s.synRetransmitted ? TcpInfo.FASTOPEN_SYN_RETRANSMITTED : 0, s.synRetransmitted ? 1 : 0, s.bytesAcked,
                s.synSent ? 1 : 0);
    }

    @Override
    public synchronized void sendEmpty(int fd) throws NativeCallException {
        Socket s = socket(fd, "sendEmpty");
        s.synSent = true;
    }

    @Override
    public synchronized boolean setNonBlocking(int fd, boolean nonBlocking) throws NativeCallException {
        Socket s = socket(fd, "setNonBlocking " + nonBlocking);
        boolean was = s.nonBlocking;
        s.nonBlocking = nonBlocking;
        return was;
    }

    @Override
    public synchronized int takeError(int fd) throws NativeCallException {
        Socket s = socket(fd, "takeError");
        int error = s.pendingError;
        s.pendingError = 0;
        return error;
    }

    /** Runs what the test says happens while the caller waits, then returns: the caller re-reads the state. */
    @Override
    public void awaitWritable(Object socket, int fd, long nanos) {
        awaits.incrementAndGet();
        whileWaiting.run();
    }

    /** What happens in the world while the agent waits for a handshake (time passes, a SYN-ACK comes). */
    void whileWaiting(Runnable happens) {
        whileWaiting = happens;
    }

    int awaits() {
        return awaits.get();
    }

    private Socket socket(int fd, String call) throws NativeCallException {
        Socket s = open.get(fd);
        if (s == null) {
            throw ebadf(call);
        }
        s.calls.add(call);
        return s;
    }

    private static NativeCallException ebadf(String call) {
        return new NativeCallException(call, LinuxConstants.EBADF, "Bad file descriptor");
    }
}
