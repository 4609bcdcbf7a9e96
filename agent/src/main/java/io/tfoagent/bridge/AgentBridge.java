package io.tfoagent.bridge;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.AsyncConnects;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.client.FirstBytes;
import io.tfoagent.core.client.NettyBytes;
import io.tfoagent.core.client.NettyEpollConnects;
import io.tfoagent.core.client.TfoConnection;
import io.tfoagent.core.server.ServerFastOpen;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import sun.nio.ch.IOUtil;
import sun.nio.ch.Net;
import sun.nio.ch.TfoBridge;

/**
 * The agent's side of {@link TfoBridge}: turns JDK objects into plain values (fd numbers,
 * addresses, bytes) for the core, and makes sure nothing the agent does throws into the
 * application but the I/O errors it would have seen anyway: any other failure is said once
 * and the socket goes on without TFO (with its bare SYN sent first if it was still
 * deferred, so that nothing rides in a SYN unclassified). A side that is off (server=off,
 * no allow=) has no advice installed, so its hooks are never called.
 */
final class AgentBridge extends TfoBridge {
    private final ServerFastOpen server;
    private final ClientFastOpen client;
    /** Null when the client side is off. */
    private final AsyncConnects asyncConnects;
    /** Null when the client side is off. */
    private final NettyEpollConnects netty;
    private final NotCovered notCovered;
    private final AgentLog log;
    private final VarHandle socketImplFd;

    private AgentBridge(ServerFastOpen server, ClientFastOpen client, NettyEpollConnects netty,
            NotCovered notCovered, AgentLog log, VarHandle socketImplFd) {
        this.server = server;
        this.client = client;
        this.asyncConnects = client == null ? null : new AsyncConnects(client);
        this.netty = netty;
        this.notCovered = notCovered;
        this.log = log;
        this.socketImplFd = socketImplFd;
    }

    /** Must run after {@link BridgeInstaller} has defined TfoBridge in java.base, our superclass. */
    static void install(ServerFastOpen server, ClientFastOpen client, NettyEpollConnects netty,
            NotCovered notCovered, AgentLog log) throws ReflectiveOperationException {
        VarHandle fd = MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup())
                .findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
        TfoBridge.install(new AgentBridge(server, client, netty, notCovered, log, fd));
    }

    /** The bridge's count of followed client sockets, for the client core to keep. */
    static AtomicInteger followedSockets() {
        return TfoBridge.trackedSockets();
    }

    @Override
    protected void onListen(FileDescriptor fd, int fdVal, int backlog) {
        try {
            server.onListen(fdVal, backlog, new BoundAddress(fd));
        } catch (Throwable t) {
            failed("listen", t);
        }
    }

    @Override
    protected void onAccept(int listenerFd, int childFd) {
        try {
            server.onAccept(listenerFd, childFd);
        } catch (Throwable t) {
            failed("accept", t);
        }
    }

    @Override
    protected void onAccept(int listenerFd, SocketImpl child) {
        try {
            server.onAccept(listenerFd, IOUtil.fdVal((FileDescriptor) socketImplFd.get(child)));
        } catch (Throwable t) {
            failed("accept", t);
        }
    }

    @Override
    protected void onNotCovered(String className, Object remote) {
        try {
            notCovered.opened(className, remote);
        } catch (Throwable t) {
            failed("not covered", t);
        }
    }

    @Override
    protected int onConnecting(FileDescriptor socket, int fd, SocketAddress remote) {
        try {
            return remote instanceof InetSocketAddress ? client.beforeConnect(socket, fd, (InetSocketAddress) remote)
                    : ClientFastOpen.CONNECT_UNTOUCHED;
        } catch (Throwable t) {
            failed("connect", t);
            return ClientFastOpen.CONNECT_UNTOUCHED;
        }
    }

    @Override
    protected void onConnectFinished(SocketAddress remote, boolean connected) {
        try {
            if (remote instanceof InetSocketAddress) {
                client.afterFinishConnect((InetSocketAddress) remote, connected);
            }
        } catch (Throwable t) {
            failed("connect", t);
        }
    }

    @Override
    protected void onAsyncConnecting(FileDescriptor socket, int fd, SocketAddress remote) {
        try {
            if (remote instanceof InetSocketAddress) {
                asyncConnects.beforeConnect(socket, fd, (InetSocketAddress) remote);
            }
        } catch (Throwable t) {
            failed("connect", t);
        }
    }

    @Override
    protected void onAsyncConnected(FileDescriptor socket, int fd, SocketAddress remote, boolean connectedNow) {
        try {
            if (!(remote instanceof InetSocketAddress)) {
                return;
            }
            if (connectedNow) {
                asyncConnects.connected(socket, fd, (InetSocketAddress) remote);
            } else {
                asyncConnects.connectReturned(socket, fd, (InetSocketAddress) remote);
            }
        } catch (Throwable t) {
            connectFailed(socket, fd, t);
        }
    }

    @Override
    protected void onConnected(FileDescriptor socket, int fd, SocketAddress remote, int prepared,
            boolean connectedNow, boolean blockingApi, long timeoutNanos) {
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
            client.afterConnect(socket, fd, (InetSocketAddress) remote, prepared, connectedNow, blockingApi, millis);
        } catch (Throwable t) {
            connectFailed(socket, fd, t);
        }
    }

    @Override
    protected Object onWrite(Object socket, int fd, Object bytes, int offset, int length)
            throws IOException {
        TfoConnection c = client.find(socket, fd);
        return c == null ? null : beforeWrite(c, FirstBytes.of(bytes, offset, length));
    }

    @Override
    protected Object onNettyWrite(Object socket, int fd, int shape, Object buffers, long address, int offset,
            int length) throws IOException {
        TfoConnection c = client.find(socket, fd >= 0 ? fd : nettyFd(socket));
        if (c == null) {
            return null;
        }
        FirstBytes bytes;
        try {
            bytes = nettyBytes(shape, buffers, address, offset, length);
        } catch (RuntimeException | LinkageError e) {
            failed("write", e);
            bytes = FirstBytes.UNSEEN; // unseen: its SYN goes bare
        }
        return beforeWrite(c, bytes);
    }

    /** The bytes of a Netty write, in the shape TfoBridge.nettyWriting names. */
    private static FirstBytes nettyBytes(int shape, Object buffers, long address, int offset, int length) {
        switch (shape) {
            case NETTY_WRITE:
                return NettyBytes.range((ByteBuffer) buffers, offset, length);
            case NETTY_WRITE_ADDRESS:
                return NettyBytes.range(address, offset, length);
            case NETTY_WRITEV:
                return NettyBytes.buffers((ByteBuffer[]) buffers, offset, length);
            case NETTY_WRITEV_ADDRESSES:
                return NettyBytes.iovecs(address, length);
            default:
                return FirstBytes.UNSEEN;
        }
    }

    @Override
    protected Object onNettySplice(int fdOut) throws IOException {
        TfoConnection c = client.findByNumber(fdOut);
        return c == null ? null : beforeWrite(c, FirstBytes.UNSEEN);
    }

    /** The first-write gate, which throws nothing into the application but the I/O errors it would see. */
    private Object beforeWrite(TfoConnection c, FirstBytes bytes) throws IOException {
        try {
            return client.beforeWrite(c, bytes);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            failed("write", t);
            client.abandon(c);
            return null;
        }
    }

    @Override
    protected void onNettyChannelConnecting(Object config) {
        try {
            netty.channelConnecting(config);
        } catch (Throwable t) {
            failed("connect", t);
        }
    }

    @Override
    protected void onNettyChannelConnected() {
        netty.channelConnected();
    }

    @Override
    protected int onNettyConnecting(Object socket, int fd, SocketAddress remote) {
        try {
            return remote instanceof InetSocketAddress
                    ? netty.beforeConnect(socket, socket.getClass(), fd, (InetSocketAddress) remote)
                    : ClientFastOpen.CONNECT_UNTOUCHED;
        } catch (Throwable t) {
            failed("connect", t);
            return ClientFastOpen.CONNECT_UNTOUCHED;
        }
    }

    @Override
    protected void onNettyConnected(Object socket, int fd, SocketAddress remote, int prepared, boolean connected,
            boolean inProgress) {
        try {
            netty.afterConnect(socket, fd, (InetSocketAddress) remote, prepared, connected, inProgress);
        } catch (Throwable t) {
            connectFailed(socket, fd, t);
        }
    }

    @Override
    protected void onNettyConnectFinished(Object socket, int fd, boolean connected, boolean failed) {
        try {
            netty.afterFinishConnect(socket, fd, connected, failed);
        } catch (Throwable t) {
            failed("connect", t);
        }
    }

    @Override
    protected void onNettyClose(Object socket, int fd) {
        try {
            netty.beforeClose(socket, fd);
        } catch (Throwable t) {
            failed("close", t);
        }
    }

    @Override
    protected Object onRead(Object socket, int fd) throws IOException {
        TfoConnection c = client.find(socket, fd);
        if (c == null) {
            return null;
        }
        try {
            return client.beforeRead(c);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            failed("read", t);
            client.abandon(c);
            return null;
        }
    }

    @Override
    protected Throwable onDone(Object token, Throwable thrown, boolean callerRepeats, long written) {
        TfoConnection c = (TfoConnection) token;
        try {
            Throwable instead = client.afterIo(c, thrown, callerRepeats, written);
            if (instead == ClientFastOpen.CALL_AGAIN) {
                return CALL_AGAIN;
            }
            return instead != null ? instead : thrown;
        } catch (Throwable t) {
            failed("io", t);
            client.abandon(c);
            return thrown;
        }
    }

    @Override
    protected void onClose(FileDescriptor socket, int fd) {
        try {
            client.beforeClose(socket, fd);
        } catch (Throwable t) {
            failed("close", t);
        }
    }

    /** The agent failed after a connect: a connection it follows already goes on without TFO. */
    private void connectFailed(Object socket, int fd, Throwable t) {
        failed("connect", t);
        TfoConnection c = client.find(socket, fd);
        if (c != null) {
            client.abandon(c);
        }
    }

    private void failed(String where, Throwable t) {
        log.once("bridge:" + where + ":" + t.getClass().getName(),
                "internal error on " + where + " (" + t + "); that socket goes on without TFO");
    }

    /**
     * Netty's {@code FileDescriptor.intValue()}, for advice woven where the {@code fd} field is out of
     * reach (epoll's LinuxSocket, in another package than the field's); by the socket's class, since
     * every shaded copy has its own.
     */
    private static final ClassValue<MethodHandle> NETTY_INT_VALUE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "intValue", MethodType.methodType(int.class))
                        .asType(MethodType.methodType(int.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /** The number of Netty's socket object, -1 (found nowhere) when it cannot be read. */
    private int nettyFd(Object socket) {
        try {
            return (int) NETTY_INT_VALUE.get(socket.getClass()).invokeExact(socket);
        } catch (Throwable t) {
            failed("sendfile", t);
            return -1;
        }
    }

    /** The bound address of a listener; asked only once the fd is known to be IP. */
    private static final class BoundAddress implements Supplier<InetSocketAddress> {
        private final FileDescriptor fd;

        BoundAddress(FileDescriptor fd) {
            this.fd = fd;
        }

        @Override
        public InetSocketAddress get() {
            try {
                return Net.localAddress(fd);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
