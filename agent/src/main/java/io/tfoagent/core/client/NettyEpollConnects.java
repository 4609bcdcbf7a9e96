package io.tfoagent.core.client;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.shim.NativeCallException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connects of Netty's native epoll transport ({@code unix.Socket.connect}, under any shading
 * prefix), told to {@link ClientFastOpen} as a non-blocking {@code SocketChannel}'s are. Netty's
 * event loop never blocks, so neither does the agent: a deferred connection nobody writes to is
 * opened by the idle timer, and epoll's readiness is the kernel's own (a deferred socket polls
 * writable, so Netty's first write comes; a bare SYN sent before it makes that write return
 * EAGAIN, and Netty waits for EPOLLOUT as for any full socket buffer).
 *
 * <p>A socket is known by Netty's {@code FileDescriptor} object, never by its number alone: Netty
 * closes that object once and never reuses it.
 *
 * <p>Only a TCP channel's connect is touched, and only when its application did not set Netty's
 * own {@code TCP_FASTOPEN_CONNECT}: {@code EpollSocketChannel.doConnect0} says so on its thread
 * ({@link #channelConnecting}) around the {@code unix.Socket.connect} it makes. With that option
 * Netty sends what it buffered before connect in the SYN itself (a sendto with MSG_FASTOPEN, on a
 * socket the agent never follows), and connects plainly when nothing was buffered: both exactly as
 * the application asked, with or without the agent.
 */
public final class NettyEpollConnects {
    private final ClientFastOpen client;
    private final ClientKernel kernel;
    private final NotCovered notCovered;
    private final NettyEpollCoverage coverage;
    private final AgentLog log;
    /**
     * While an {@code EpollSocketChannel} connects on this thread: whether its application set
     * Netty's own TCP_FASTOPEN_CONNECT. Unset for any other connect through Netty's socket (a
     * datagram channel's, or a TCP channel whose class the agent could not weave).
     */
    private final ThreadLocal<Boolean> channelConnect = new ThreadLocal<>();
    /** The first connect left to Netty's own fast open has been logged. */
    private final AtomicBoolean toldOwnFastOpen = new AtomicBoolean();
    /** Connects still pending, until finishConnect says how they ended: by fd, for their socket's identity. */
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(Object socket, InetSocketAddress remote) {}

    public NettyEpollConnects(ClientFastOpen client, ClientKernel kernel, NotCovered notCovered,
            NettyEpollCoverage coverage, AgentLog log) {
        this.client = client;
        this.kernel = kernel;
        this.notCovered = notCovered;
        this.coverage = coverage;
        this.log = log;
    }

    /**
     * Before {@code EpollSocketChannel.doConnect0} on this thread: {@code config} is the channel's
     * configuration, whose {@code isTcpFastOpenConnect()} says whether the application set Netty's
     * own option. Until {@link #channelConnected}.
     */
    public void channelConnecting(Object config) {
        boolean own = OwnFastOpen.isSet(config);
        channelConnect.set(own);
        if (own && toldOwnFastOpen.compareAndSet(false, true)) {
            log.line("Netty's own TCP_FASTOPEN_CONNECT is set on " + config.getClass().getName()
                    + ": such channels connect as the application asked, without the agent");
        }
    }

    /** After it, however it ended. */
    public void channelConnected() {
        channelConnect.remove();
    }

    /**
     * Before {@code Socket.connect(remote)} on {@code socket} (of {@code socketClass}, number {@code fd}):
     * what was done, for {@link #afterConnect}; {@link ClientFastOpen#CONNECT_UNTOUCHED} when nothing.
     */
    public int beforeConnect(Object socket, Class<?> socketClass, int fd, InetSocketAddress remote) {
        if (!coverage.settled()) {
            return ClientFastOpen.CONNECT_UNTOUCHED; // the warm-up never delays a connection
        }
        Boolean own = channelConnect.get();
        if (own == null ? !isTcp(fd) : own) {
            return ClientFastOpen.CONNECT_UNTOUCHED; // a datagram socket's, or the application's own fast open
        }
        if (own == null || !coverage.covers(socketClass)) {
            notCovered.opened(socketClass.getName(), remote);
            return ClientFastOpen.CONNECT_UNTOUCHED;
        }
        return client.beforeConnect(socket, fd, remote);
    }

    /**
     * A TCP socket: asked only of a connect no TCP channel announced, which is a datagram channel's
     * (epoll's UDP channels connect through the same class; they have no TCP_INFO) unless the
     * channel class could not be woven.
     */
    private boolean isTcp(int fd) {
        try {
            kernel.tcpInfo(fd);
            return true;
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
