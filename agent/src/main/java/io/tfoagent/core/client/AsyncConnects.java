package io.tfoagent.core.client;

import io.tfoagent.shim.NativeCallException;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connects of NIO.2's {@code AsynchronousSocketChannel} ({@code UnixAsynchronousSocketChannelImpl}),
 * told to {@link ClientFastOpen} as a {@code SocketChannel}'s are, at other moments. Its completion
 * handler may run, and write, before {@code implConnect} returns: directly, on a thread of the
 * channel's group, or on another thread of the group at once. So a deferred connection must be
 * followed from {@code setConnected()}, which the JDK calls between its connect() and the
 * handler, while what {@link ClientFastOpen#beforeConnect} did is known at {@code implConnect}'s
 * entry. It is kept here in between, per socket, and never longer than {@code implConnect} runs:
 * its end takes what is left (a connect still pending, or failed).
 *
 * <p>The channel is non-blocking by design: no call of the agent on it may block the caller, and
 * a deferred one nobody writes to is opened by the idle timer.
 */
public final class AsyncConnects {
    private final ClientFastOpen client;
    /** Sockets between implConnect's entry and the kernel's answer, by identity (FileDescriptor keeps Object's equals). */
    private final Map<FileDescriptor, Integer> connecting = new ConcurrentHashMap<>();

    public AsyncConnects(ClientFastOpen client) {
        this.client = client;
    }

    /** implConnect begins. */
    public void beforeConnect(FileDescriptor socket, int fd, InetSocketAddress remote) {
        int how = client.beforeConnect(socket, fd, remote);
        if (how != ClientFastOpen.CONNECT_UNTOUCHED) {
            connecting.put(socket, how);
        }
    }

    /**
     * The channel is connected ({@code setConnected()}), before any completion handler ran: at once
     * inside implConnect, or later when a pending connect finished.
     */
    public void connected(FileDescriptor socket, int fd, InetSocketAddress remote) throws NativeCallException {
        answered(socket, fd, remote, true);
    }

    /** implConnect returned (or threw): a connect still here did not connect at once. */
    public void connectReturned(FileDescriptor socket, int fd, InetSocketAddress remote) throws NativeCallException {
        answered(socket, fd, remote, false);
    }

    private void answered(FileDescriptor socket, int fd, InetSocketAddress remote, boolean connectedNow)
            throws NativeCallException {
        Integer how = connecting.remove(socket);
        if (how != null) {
            client.afterConnect(socket, fd, remote, how, connectedNow, false, 0);
        }
    }
}
