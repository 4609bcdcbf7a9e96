package sun.nio.ch;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import jdk.internal.access.JavaIOFileDescriptorAccess;
import jdk.internal.access.SharedSecrets;

/**
 * The one tfo-agent class that lives in java.base. Advice inlined into the JDK's socket
 * classes calls these static methods; they hand over to the agent, which extends this
 * class from its own class loader. Kept tiny on purpose: no logic, no state but the
 * agent reference and the count of followed sockets, and it throws nothing but the I/O
 * errors the agent hands back (the agent catches and counts its own failures).
 *
 * <p>Sockets are passed as the objects that own their numbers (the JDK's {@link FileDescriptor},
 * Netty's {@code unix.FileDescriptor}), not as bare fd numbers: the agent recognises a socket by
 * that object, so I/O on a closed socket whose number was reused cannot reach another socket's
 * state. Only Netty's splice names its socket by number ({@link #nettySplicing}).
 */
public abstract class TfoBridge {
    private static final JavaIOFileDescriptorAccess FDS = SharedSecrets.getJavaIOFileDescriptorAccess();
    /**
     * Client sockets the agent is following. While 0, reads and writes on every socket cost
     * one volatile read here and nothing else. The agent's core changes it, atomically and
     * nowhere else (see ConnectionTable); this is the only copy.
     */
    private static final AtomicInteger TRACKED = new AtomicInteger();
    /** The shapes of a Netty native write's bytes ({@link #nettyWriting}), named after its methods. */
    public static final int NETTY_WRITE = 0;
    public static final int NETTY_WRITE_ADDRESS = 1;
    public static final int NETTY_WRITEV = 2;
    public static final int NETTY_WRITEV_ADDRESSES = 3;
    /** A call's count the advice does not pass ({@link #onDone}); the core's ClientFastOpen.COUNT_UNKNOWN. */
    public static final long UNKNOWN_COUNT = -1;
    /** What {@link #doneOrAgain} answers when the call must be made again; never thrown. */
    public static final Throwable CALL_AGAIN = new IOException("tfo-agent: make the call again");
    private static volatile TfoBridge agent;
    /** Thread.isVirtual() and Poller.poll(int, int, long, BooleanSupplier), JDK 21+; null before. */
    private static final MethodHandle IS_VIRTUAL = find(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    private static final MethodHandle VIRTUAL_POLL = findStatic("sun.nio.ch.Poller", "poll",
            MethodType.methodType(void.class, int.class, int.class, long.class, BooleanSupplier.class));

    protected TfoBridge() {}

    public static void install(TfoBridge instance) {
        agent = instance;
    }

    /** The count of followed sockets, for the agent's core to keep. */
    protected static AtomicInteger trackedSockets() {
        return TRACKED;
    }

    /** A TCP or Unix listener was just put in the listening state. */
    public static void listened(FileDescriptor fd, int backlog) {
        TfoBridge a = agent;
        if (a != null) {
            a.onListen(fd, FDS.get(fd), backlog);
        }
    }

    /**
     * A listener known only by its fd number was just put in the listening state: Netty's native
     * transport, whose sockets are not JDK objects. The number is wrapped for the agent, which
     * only reads the bound address through it; the wrapper owns nothing and closes nothing.
     */
    public static void listened(int fd, int backlog) {
        TfoBridge a = agent;
        if (a != null) {
            a.onListen(wrapped(fd), fd, backlog);
        }
    }

    /**
     * A socket opened through a path the agent does not handle ({@code className}'s): a connect to
     * {@code remote}, or a listener when {@code remote} is null.
     */
    public static void notCovered(String className, Object remote) {
        TfoBridge a = agent;
        if (a != null) {
            a.onNotCovered(className, remote);
        }
    }

    /**
     * Before Netty's {@code EpollSocketChannel.doConnect0} (under any shading prefix): the connect
     * it makes on this thread is a TCP channel's, {@code config} that channel's configuration.
     */
    public static void nettyChannelConnecting(Object config) {
        TfoBridge a = agent;
        if (a != null) {
            a.onNettyChannelConnecting(config);
        }
    }

    /** After it, however it ended. */
    public static void nettyChannelConnected() {
        TfoBridge a = agent;
        if (a != null) {
            a.onNettyChannelConnected();
        }
    }

    /**
     * Before Netty's {@code unix.Socket.connect(remote)} (epoll, under any shading prefix): what the
     * agent did, 0 for nothing, for {@link #nettyConnected}. {@code socket} is Netty's FileDescriptor
     * object, the socket's identity; {@code fd} its number.
     */
    public static int nettyConnecting(Object socket, int fd, SocketAddress remote) {
        TfoBridge a = agent;
        return a == null ? 0 : a.onNettyConnecting(socket, fd, remote);
    }

    /** After it: {@code connected} it returned true, {@code inProgress} false; neither, it threw. */
    public static void nettyConnected(Object socket, int fd, SocketAddress remote, int prepared, boolean connected,
            boolean inProgress) {
        TfoBridge a;
        if (prepared != 0 && (a = agent) != null) {
            a.onNettyConnected(socket, fd, remote, prepared, connected, inProgress);
        }
    }

    /** After Netty's {@code Socket.finishConnect()}: {@code connected}, or {@code failed} (it threw). */
    public static void nettyConnectFinished(Object socket, int fd, boolean connected, boolean failed) {
        TfoBridge a;
        if ((connected || failed) && (a = agent) != null) {
            a.onNettyConnectFinished(socket, fd, connected, failed);
        }
    }

    /**
     * Before a write of Netty's native transport on {@code socket} ({@code fd} its number, -1 when
     * the advice cannot read it): {@code shape} says what the rest are, as the method got them.
     * {@link #NETTY_WRITE}: a ByteBuffer, the range offset to length (pos, limit);
     * {@link #NETTY_WRITE_ADDRESS}: native memory from address + offset to address + length;
     * {@link #NETTY_WRITEV}: a ByteBuffer[] range; {@link #NETTY_WRITEV_ADDRESSES}: length iovecs at
     * address; any other: bytes the agent cannot see (sendfile).
     *
     * @return a token for {@link #done}, else null
     * @throws IOException the connect failure the application would have had from connect()
     */
    public static Object nettyWriting(Object socket, int fd, int shape, Object buffers, long address, int offset,
            int length) throws IOException {
        TfoBridge a;
        return TRACKED.get() == 0 || (a = agent) == null ? null
                : a.onNettyWrite(socket, fd, shape, buffers, address, offset, length);
    }

    /** Before Netty's splice into the socket numbered {@code fdOut}: a write whose bytes the agent cannot see. */
    public static Object nettySplicing(int fdOut) throws IOException {
        TfoBridge a;
        return TRACKED.get() == 0 || (a = agent) == null ? null : a.onNettySplice(fdOut);
    }

    /** Before a read or shutdown of Netty's native transport: a deferred connection is opened first. */
    public static Object nettyReading(Object socket, int fd) throws IOException {
        TfoBridge a;
        return TRACKED.get() == 0 || (a = agent) == null ? null : a.onRead(socket, fd);
    }

    /** Before Netty's {@code FileDescriptor.close()}: the number may belong to another socket right after. */
    public static void nettyClosing(Object socket, int fd) {
        TfoBridge a;
        if (TRACKED.get() != 0 && (a = agent) != null) {
            a.onNettyClose(socket, fd);
        }
    }

    /** A ServerSocketChannel accepted {@code child}. */
    public static void accepted(int listenerFd, FileDescriptor child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(listenerFd, FDS.get(child));
        }
    }

    /** A ServerSocket accepted into {@code child}, a NioSocketImpl. */
    public static void accepted(FileDescriptor listener, SocketImpl child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(FDS.get(listener), child);
        }
    }

    /** Before connect(): what the agent did to the socket, 0 for nothing, for {@link #connected}. */
    public static int connecting(FileDescriptor fd, SocketAddress remote) {
        TfoBridge a = agent;
        return a == null || fd == null ? 0 : a.onConnecting(fd, FDS.get(fd), remote);
    }

    /**
     * After connect().
     *
     * @param prepared what {@link #connecting} answered
     * @param connectedNow false when it failed or a non-blocking connect is pending
     */
    public static void connected(FileDescriptor fd, SocketAddress remote, int prepared, boolean connectedNow,
            boolean blockingApi, long timeoutNanos) {
        TfoBridge a;
        if (prepared != 0 && (a = agent) != null) {
            a.onConnected(fd, FDS.get(fd), remote, prepared, connectedNow, blockingApi, timeoutNanos);
        }
    }

    /** Before an AsynchronousSocketChannel's connect ({@code implConnect}). */
    public static void asyncConnecting(FileDescriptor fd, SocketAddress remote) {
        TfoBridge a = agent;
        if (a != null && fd != null) {
            a.onAsyncConnecting(fd, FDS.get(fd), remote);
        }
    }

    /**
     * An AsynchronousSocketChannel's connect: {@code connectedNow}, it is connected
     * ({@code setConnected()}, before any completion handler runs); else its {@code implConnect}
     * returned.
     */
    public static void asyncConnected(FileDescriptor fd, SocketAddress remote, boolean connectedNow) {
        TfoBridge a = agent;
        if (a != null && fd != null) {
            a.onAsyncConnected(fd, FDS.get(fd), remote, connectedNow);
        }
    }

    /**
     * After a non-blocking connect's {@code finishConnect()}: {@code connected} when it
     * completed, {@code failed} when it threw.
     */
    public static void connectFinished(SocketAddress remote, boolean connected, boolean failed) {
        TfoBridge a;
        if ((connected || failed) && (a = agent) != null) {
            a.onConnectFinished(remote, connected);
        }
    }

    /**
     * Before a write of {@code bytes} (a ByteBuffer, a ByteBuffer[] with offset and length,
     * a byte[] with offset and length, or null when they cannot be seen).
     *
     * @return a token for {@link #done} when the agent must see the outcome, else null
     * @throws IOException the connect failure the application would have had from connect()
     */
    public static Object writing(FileDescriptor fd, Object bytes, int offset, int length) throws IOException {
        TfoBridge a;
        return TRACKED.get() == 0 || (a = agent) == null || fd == null ? null
                : a.onWrite(fd, FDS.get(fd), bytes, offset, length);
    }

    /** Before a read (or shutdown): a deferred connection must be opened first. */
    public static Object reading(FileDescriptor fd) throws IOException {
        TfoBridge a;
        return TRACKED.get() == 0 || (a = agent) == null || fd == null ? null : a.onRead(fd, FDS.get(fd));
    }

    /**
     * FileChannel.transferTo into a socket: a first write whose bytes the agent cannot see
     * (and sendfile does not open a deferred connection itself on older kernels).
     */
    public static Object transferring(WritableByteChannel target) throws IOException {
        return TRACKED.get() != 0 && target instanceof SelChImpl
                ? writing(((SelChImpl) target).getFD(), null, 0, 0) : null;
    }

    /** After the call that {@code token} came from; returns what the application should see thrown. */
    public static Throwable done(Object token, Throwable thrown) {
        TfoBridge a = agent;
        return a == null ? thrown : a.onDone(token, thrown, false, UNKNOWN_COUNT);
    }

    /** As {@link #done}, after a call the advice can make again: the answer may be {@link #CALL_AGAIN}. */
    public static Throwable doneOrAgain(Object token, Throwable thrown) {
        TfoBridge a = agent;
        return a == null ? thrown : a.onDone(token, thrown, true, UNKNOWN_COUNT);
    }

    /**
     * As {@link #doneOrAgain}, after a Netty native write that returned {@code written} (when it
     * did not throw): Netty hands the kernel a range and never moves its buffer, so that count is
     * what says whether a first write took all its bytes.
     */
    public static Throwable writtenOrAgain(Object token, Throwable thrown, long written) {
        TfoBridge a = agent;
        return a == null ? thrown : a.onDone(token, thrown, true, thrown == null ? written : UNKNOWN_COUNT);
    }

    /** Before close: the fd number may belong to another socket right after. */
    public static void closing(FileDescriptor fd) {
        TfoBridge a;
        if (TRACKED.get() != 0 && (a = agent) != null && fd != null) {
            a.onClose(fd, FDS.get(fd));
        }
    }

    /**
     * Waits until the socket is writable (a deferred connection's handshake is over) or
     * {@code nanos} (> 0) have passed, as the JDK's own socket code waits: a virtual thread
     * is parked, never its carrier pinned in a native poll.
     */
    public static void awaitWritable(FileDescriptor fd, long nanos, BooleanSupplier isOpen) throws IOException {
        try {
            if (VIRTUAL_POLL != null && (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread())) {
                VIRTUAL_POLL.invokeExact(FDS.get(fd), (int) Net.POLLOUT, Math.max(1L, nanos), isOpen);
                return;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
        Net.poll(fd, Net.POLLOUT, Math.max(1L, (nanos + 999_999) / 1_000_000));
    }

    /** As above for a socket known by its number only (Netty's), waited on through a {@link #wrapped} number. */
    public static void awaitWritable(int fd, long nanos) throws IOException {
        FileDescriptor wrapper = wrapped(fd);
        awaitWritable(wrapper, nanos, wrapper::valid);
    }

    /** {@code fd} as a JDK FileDescriptor that owns nothing and closes nothing (no cleaner is registered). */
    private static FileDescriptor wrapped(int fd) {
        FileDescriptor wrapper = new FileDescriptor();
        FDS.set(wrapper, fd);
        return wrapper;
    }

    private static MethodHandle find(Class<?> type, String name, MethodType signature) {
        try {
            return MethodHandles.publicLookup().findVirtual(type, name, signature);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle findStatic(String className, String name, MethodType signature) {
        try {
            return MethodHandles.lookup().findStatic(Class.forName(className, false, null), name, signature);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    protected abstract int onConnecting(FileDescriptor socket, int fd, SocketAddress remote);

    protected abstract void onConnected(FileDescriptor socket, int fd, SocketAddress remote, int prepared,
            boolean connectedNow, boolean blockingApi, long timeoutNanos);

    protected abstract void onConnectFinished(SocketAddress remote, boolean connected);

    protected abstract void onAsyncConnecting(FileDescriptor socket, int fd, SocketAddress remote);

    protected abstract void onAsyncConnected(FileDescriptor socket, int fd, SocketAddress remote,
            boolean connectedNow);

    protected abstract Object onWrite(Object socket, int fd, Object bytes, int offset, int length)
            throws IOException;

    protected abstract Object onRead(Object socket, int fd) throws IOException;

    protected abstract void onNettyChannelConnecting(Object config);

    protected abstract void onNettyChannelConnected();

    protected abstract int onNettyConnecting(Object socket, int fd, SocketAddress remote);

    protected abstract void onNettyConnected(Object socket, int fd, SocketAddress remote, int prepared,
            boolean connected, boolean inProgress);

    protected abstract void onNettyConnectFinished(Object socket, int fd, boolean connected, boolean failed);

    protected abstract Object onNettyWrite(Object socket, int fd, int shape, Object buffers, long address,
            int offset, int length) throws IOException;

    protected abstract Object onNettySplice(int fdOut) throws IOException;

    protected abstract void onNettyClose(Object socket, int fd);

    /**
     * @param callerRepeats the advice makes the call again when the answer is {@link #CALL_AGAIN}
     * @param written       what the write returned, {@link #UNKNOWN_COUNT} when the buffers tell
     */
    protected abstract Throwable onDone(Object token, Throwable thrown, boolean callerRepeats, long written);

    protected abstract void onClose(FileDescriptor socket, int fd);

    protected abstract void onListen(FileDescriptor fd, int fdVal, int backlog);

    protected abstract void onAccept(int listenerFd, int childFd);

    protected abstract void onAccept(int listenerFd, SocketImpl child);

    protected abstract void onNotCovered(String className, Object remote);
}
