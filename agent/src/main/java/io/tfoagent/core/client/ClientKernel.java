package io.tfoagent.core.client;

import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.FileDescriptor;
import java.io.IOException;

/**
 * The socket calls the client side makes on a raw file descriptor. The bridge's
 * JdkClientKernel makes them through the native shim and the JDK; unit tests put a fake
 * kernel here, so that the per-socket state machine runs, interleaving by interleaving,
 * without a network.
 */
public interface ClientKernel {
    /** TCP_FASTOPEN_CONNECT: must precede connect(); the kernel then defers the SYN to the first write. */
    void setFastOpenConnect(int fd) throws NativeCallException;

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
     */
    void awaitWritable(FileDescriptor socket, long nanos) throws IOException;
}
