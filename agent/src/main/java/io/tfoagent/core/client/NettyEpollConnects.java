package io.tfoagent.core.client;

import io.tfoagent.core.NotCovered;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connects of Netty's native epoll transport ({@code unix.Socket.connect}, under any shading
 * prefix), told to {@link ClientFastOpen} as a non-blocking {@code SocketChannel}'s are. Netty's
 * event loop never blocks, so neither does the agent: a deferred connection nobody writes to is
 * opened by the idle timer, and epoll's readiness is the kernel's own (a deferred socket polls
 * writable, so Netty's first write comes; a bare SYN sent before it makes that write return
 * EAGAIN, and Netty waits for EPOLLOUT as for any full socket buffer).
 *
 * <p>A socket is known by Netty's {@code FileDescriptor} object, never by its number alone: Netty
 * closes that object once and never reuses it. A connect Netty made itself with its own
 * {@code TCP_FASTOPEN_CONNECT} option (a sendto with MSG_FASTOPEN before any connect) finds its
 * socket already connecting: left exactly as the application asked.
 */
public final class NettyEpollConnects {
    private final ClientFastOpen client;
    private final ClientKernel kernel;
    private final NotCovered notCovered;
    private final NettyEpollCoverage coverage;
    /** Connects still pending, until finishConnect says how they ended: by fd, for their socket's identity. */
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(Object socket, InetSocketAddress remote) {}

    public NettyEpollConnects(ClientFastOpen client, ClientKernel kernel, NotCovered notCovered,
            NettyEpollCoverage coverage) {
        this.client = client;
        this.kernel = kernel;
        this.notCovered = notCovered;
        this.coverage = coverage;
    }

    /**
     * Before {@code Socket.connect(remote)} on {@code socket} (of {@code socketClass}, number {@code fd}):
     * what was done, for {@link #afterConnect}; {@link ClientFastOpen#CONNECT_UNTOUCHED} when nothing.
     */
    public int beforeConnect(Object socket, Class<?> socketClass, int fd, InetSocketAddress remote) {
        if (!coverage.settled()) {
            return ClientFastOpen.CONNECT_UNTOUCHED; // the warm-up never delays a connection
        }
        if (!coverage.covers(socketClass)) {
            notCovered.opened(socketClass.getName(), remote);
            return ClientFastOpen.CONNECT_UNTOUCHED;
        }
        return isFreshTcp(fd) ? client.beforeConnect(socket, fd, remote) : ClientFastOpen.CONNECT_UNTOUCHED;
    }

    /**
     * A TCP socket that has not begun to connect. Not one that Netty's own fast open already
     * started (the application's choice), nor a datagram socket (epoll's UDP channels connect
     * through the same class), which has no TCP_INFO.
     */
    private boolean isFreshTcp(int fd) {
        try {
            return kernel.tcpInfo(fd).state() == TcpInfo.STATE_CLOSE;
        } catch (NativeCallException e) {
            return false;
        }
    }

    /**
     * After it: {@code connectedNow}, connect() returned true; {@code inProgress}, it returned false
     * (EINPROGRESS, finishConnect follows); neither, it threw.
     */
    public void afterConnect(Object socket, int fd, InetSocketAddress remote, int how, boolean connectedNow,
            boolean inProgress) throws NativeCallException {
        if (how == ClientFastOpen.CONNECT_UNTOUCHED) {
            return;
        }
        if (inProgress) {
            pending.put(fd, new Pending(socket, remote));
        }
        client.afterConnect(socket, fd, remote, how, connectedNow, false, 0);
    }

    /** After {@code Socket.finishConnect()}: {@code connected}, or {@code failed} (it threw); neither, still pending. */
    public void afterFinishConnect(Object socket, int fd, boolean connected, boolean failed) {
        Pending p = pending.get(fd);
        if (p != null && p.socket == socket && pending.remove(fd, p)) {
            client.afterFinishConnect(p.remote, connected);
        }
    }

    /** Before Netty's {@code FileDescriptor.close()}: the number may name another socket right after. */
    public void beforeClose(Object socket, int fd) {
        Pending p = pending.get(fd);
        if (p != null && p.socket == socket) {
            pending.remove(fd, p);
        }
        client.beforeClose(socket, fd);
    }
}
