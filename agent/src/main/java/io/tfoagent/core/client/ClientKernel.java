package io.tfoagent.core.client;

import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The socket calls the client side makes on a raw file descriptor. The bridge's
 * JdkClientKernel makes them through the native shim and the JDK; unit tests put a fake
 * kernel here, so that the per-socket state machine runs, interleaving by interleaving,
 * without a network.
 */
public interface ClientKernel {
    /**
     * TCP_FASTOPEN_CONNECT on or off: must precede connect(); when on, the kernel defers the
     * SYN to the first write.
     */
    void setFastOpenConnect(int fd, boolean on) throws NativeCallException;

    /**
     * connect() on a socket made non-blocking: true when connected at once, false while the
     * handshake is under way. A socket whose connect failed may connect again (Linux).
     */
    boolean connect(int fd, InetSocketAddress remote) throws NativeCallException;

    /** A send that never waits: how many bytes from {@code offset} on the kernel took, 0 for none. */
    int sendNow(int fd, byte[] bytes, int offset) throws NativeCallException;

    TcpInfo tcpInfo(int fd) throws NativeCallException;

    /** A zero-length send that never waits: on a deferred socket, the bare SYN (cookie, no data). */
    void sendEmpty(int fd) throws NativeCallException;

    /** Sets or clears O_NONBLOCK; returns whether it was set before. */
    boolean setNonBlocking(int fd, boolean nonBlocking) throws NativeCallException;

    /** SO_ERROR, clearing it; 0 when there is none. */
    int takeError(int fd) throws NativeCallException;

    /**
     * Waits until the socket is writable (its handshake over, or failed) or {@code nanos}
     * have passed; may return early. A virtual thread is parked, not its carrier pinned.
     * {@code socket} is the JDK's FileDescriptor, waited on as the JDK waits, or Netty's object,
     * whose number {@code fd} is waited on: only Netty's event loop closes its socket, and that
     * loop is the thread that waits.
     */
    void awaitWritable(Object socket, int fd, long nanos) throws IOException;
}
