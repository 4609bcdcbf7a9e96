package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.WritableByteChannel;

/**
 * The one tfo-agent class that lives in java.base. Advice inlined into the JDK's socket
 * classes calls these static methods; they hand over to the agent, which extends this
 * class from its own class loader. Kept tiny on purpose: no logic, no state but the
 * agent reference, and it never throws (the agent catches and counts its own failures).
 */
public abstract class TfoBridge {
    private static volatile TfoBridge agent;
    /**
     * Client sockets the agent is following (deferred or opening). While 0, reads and writes
     * on every socket cost one field read here and nothing else.
     */
    private static volatile int trackedSockets;

    protected TfoBridge() {}

    public static void install(TfoBridge instance) {
        agent = instance;
    }

    /** A TCP or Unix listener was just put in the listening state. */
    public static void listened(FileDescriptor fd, int backlog) {
        TfoBridge a = agent;
        if (a != null) {
            a.onListen(fd, IOUtil.fdVal(fd), backlog);
        }
    }

    /** A ServerSocketChannel accepted {@code child}. */
    public static void accepted(int listenerFd, FileDescriptor child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(listenerFd, IOUtil.fdVal(child));
        }
    }

    /** A ServerSocket accepted into {@code child}, a NioSocketImpl. */
    public static void accepted(FileDescriptor listener, SocketImpl child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(IOUtil.fdVal(listener), child);
        }
    }

    protected static void trackedSockets(int count) {
        trackedSockets = count;
    }

    /** Before connect(): the agent may ask for TFO on the socket. */
    public static void connecting(FileDescriptor fd, SocketAddress remote) {
        TfoBridge a = agent;
        if (a != null) {
            a.onConnecting(IOUtil.fdVal(fd), remote);
        }
    }

    /** After connect(); {@code connectedNow} false when it failed or a non-blocking connect is pending. */
    public static void connected(FileDescriptor fd, SocketAddress remote, boolean connectedNow, boolean blockingApi,
            long timeoutNanos) {
        TfoBridge a = agent;
        if (a != null) {
            a.onConnected(IOUtil.fdVal(fd), remote, connectedNow, blockingApi, timeoutNanos);
        }
    }

    /**
     * Before a write of {@code bytes} (a ByteBuffer, a ByteBuffer[] with offset and length,
     * a byte[] with offset and length, or null when they cannot be seen).
     *
     * @return a token for {@link #done} when the agent must see the outcome, else null
     * @throws IOException the connect failure the application would have had from connect()
     */
    public static Object writing(int fd, Object bytes, int offset, int length) throws IOException {
        TfoBridge a;
        return trackedSockets == 0 || (a = agent) == null ? null : a.onWrite(fd, bytes, offset, length);
    }

    public static Object writing(FileDescriptor fd, Object bytes, int offset, int length) throws IOException {
        TfoBridge a;
        return trackedSockets == 0 || (a = agent) == null ? null : a.onWrite(IOUtil.fdVal(fd), bytes, offset, length);
    }

    /** Before a read (or shutdown, or sendfile): a deferred connection must be opened first. */
    public static Object reading(int fd) throws IOException {
        TfoBridge a;
        return trackedSockets == 0 || (a = agent) == null ? null : a.onRead(fd);
    }

    public static Object reading(FileDescriptor fd) throws IOException {
        TfoBridge a;
        return trackedSockets == 0 || (a = agent) == null ? null : a.onRead(IOUtil.fdVal(fd));
    }

    /**
     * FileChannel.transferTo into a socket: a first write whose bytes the agent cannot see
     * (and sendfile does not open a deferred connection itself on older kernels).
     */
    public static void transferring(WritableByteChannel target) throws IOException {
        if (trackedSockets != 0 && target instanceof SelChImpl) {
            writing(((SelChImpl) target).getFDVal(), null, 0, 0);
        }
    }

    /** After the read or write that {@code token} came from; returns what the application should see thrown. */
    public static Throwable done(Object token, Throwable thrown) {
        TfoBridge a = agent;
        return a == null ? thrown : a.onDone(token, thrown);
    }

    /** Before close: the fd number may belong to another socket right after. */
    public static void closing(int fd) {
        TfoBridge a;
        if (trackedSockets != 0 && (a = agent) != null) {
            a.onClose(fd);
        }
    }

    public static void closing(FileDescriptor fd) {
        TfoBridge a;
        if (trackedSockets != 0 && (a = agent) != null && fd != null) {
            a.onClose(IOUtil.fdVal(fd));
        }
    }

    protected abstract void onConnecting(int fd, SocketAddress remote);

    protected abstract void onConnected(int fd, SocketAddress remote, boolean connectedNow, boolean blockingApi,
            long timeoutNanos);

    protected abstract Object onWrite(int fd, Object bytes, int offset, int length) throws IOException;

    protected abstract Object onRead(int fd) throws IOException;

    protected abstract Throwable onDone(Object token, Throwable thrown);

    protected abstract void onClose(int fd);

    protected abstract void onListen(FileDescriptor fd, int fdVal, int backlog);

    protected abstract void onAccept(int listenerFd, int childFd);

    protected abstract void onAccept(int listenerFd, SocketImpl child);
}
