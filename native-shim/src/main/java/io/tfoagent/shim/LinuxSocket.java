package io.tfoagent.shim;

import com.sun.jna.LastErrorException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Typed TCP socket calls on a raw file descriptor. Each method is one syscall; failures
 * come back as {@link NativeCallException} with the errno kept.
 */
public final class LinuxSocket {
    private LinuxSocket() {}

    /**
     * Loads libc bindings and JNA's native library now, and makes one call through them, so
     * that every native method the shim uses is bound. Throws whatever JNA throws when it
     * cannot load (no native library for this platform, native access denied...).
     */
    public static void loadNative() {
        try {
            domain(-1);
        } catch (NativeCallException expected) {
            // EBADF: the call went all the way to the kernel and back.
        }
    }

    /** Server side: lets up to {@code qlen} pending TFO requests wait on this listener. */
    public static void setFastOpen(int fd, int qlen) throws NativeCallException {
        setInt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_FASTOPEN, qlen, "setsockopt(TCP_FASTOPEN)");
    }

    /**
     * Server side: the listener's own TFO key, {@code key} 16 bytes (the primary) or 32 (primary
     * then backup: cookies of either are accepted, new ones come from the primary). The bytes go
     * as they are; see FleetKeys for how the kernel's hex text maps onto them.
     */
    public static void setFastOpenKey(int fd, byte[] key) throws NativeCallException {
        try {
            LibC.setsockopt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_FASTOPEN_KEY, key, key.length);
        } catch (LastErrorException e) {
            throw failure("setsockopt(TCP_FASTOPEN_KEY)", e);
        }
    }

    /** Client side: must precede connect(); the kernel then defers the SYN to the first write. */
    public static void setFastOpenConnect(int fd, boolean on) throws NativeCallException {
        setInt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_FASTOPEN_CONNECT, on ? 1 : 0,
                "setsockopt(TCP_FASTOPEN_CONNECT)");
    }

    /** The listener's TFO queue length, 0 when TFO is off on it. */
    public static int fastOpenQueueLength(int fd) throws NativeCallException {
        return getInt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_FASTOPEN, "getsockopt(TCP_FASTOPEN)");
    }

    /** AF_INET, AF_INET6, AF_UNIX... of the socket. */
    public static int domain(int fd) throws NativeCallException {
        return getInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_DOMAIN, "getsockopt(SO_DOMAIN)");
    }

    public static TcpInfo tcpInfo(int fd) throws NativeCallException {
        byte[] raw = new byte[TcpInfo.REQUEST_LENGTH];
        int[] length = {raw.length};
        try {
            LibC.getsockopt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_INFO, raw, length);
        } catch (LastErrorException e) {
            throw failure("getsockopt(TCP_INFO)", e);
        }
        return TcpInfo.decode(raw, length[0]);
    }

    /**
     * A zero-length send: on a socket whose connect was deferred by TCP_FASTOPEN_CONNECT it
     * emits a SYN that carries the cookie but no data. It never waits for the handshake
     * (MSG_DONTWAIT), even on a blocking socket: a wait here could not be interrupted by the
     * application closing the socket. EINPROGRESS is the expected outcome, not an error.
     */
    public static void sendEmpty(int fd) throws NativeCallException {
        try {
            LibC.send(fd, new byte[0], 0, LinuxConstants.MSG_NOSIGNAL | LinuxConstants.MSG_DONTWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LinuxConstants.EINPROGRESS && e.getErrorCode() != LinuxConstants.EAGAIN) {
                throw failure("send", e);
            }
        }
    }

    /**
     * connect() on a non-blocking socket: true when it connected at once, false while the
     * handshake is under way (EINPROGRESS). An AF_INET6 socket is given an IPv4 destination
     * as its IPv4-mapped address, as the JDK does.
     */
    public static boolean connect(int fd, InetSocketAddress remote) throws NativeCallException {
        byte[] address = SocketAddresses.encode(remote, domain(fd));
        try {
            LibC.connect(fd, address, address.length);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LinuxConstants.EINPROGRESS) {
                return false;
            }
            throw failure("connect", e);
        }
    }

    /**
     * A send that never waits (MSG_DONTWAIT): how many bytes of {@code bytes[offset..]} the
     * kernel took, 0 when its buffer is full (EAGAIN).
     */
    public static int sendNow(int fd, byte[] bytes, int offset) throws NativeCallException {
        byte[] rest = offset == 0 ? bytes : Arrays.copyOfRange(bytes, offset, bytes.length);
        try {
            return (int) LibC.send(fd, rest, rest.length, LinuxConstants.MSG_NOSIGNAL | LinuxConstants.MSG_DONTWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LinuxConstants.EAGAIN) {
                return 0;
            }
            throw failure("send", e);
        }
    }

    /** The pending error of the socket (SO_ERROR), clearing it; 0 when there is none. */
    public static int takeError(int fd) throws NativeCallException {
        return getInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ERROR, "getsockopt(SO_ERROR)");
    }

    /**
     * Sets or clears O_NONBLOCK; returns whether it was set before. A blocking socket's first
     * send on a deferred connect would wait for the handshake inside the kernel; made
     * non-blocking for that one send, it puts the data in the SYN and returns at once.
     */
    public static boolean setNonBlocking(int fd, boolean nonBlocking) throws NativeCallException {
        try {
            int flags = LibC.fcntl(fd, LinuxConstants.F_GETFL, 0);
            boolean was = (flags & LinuxConstants.O_NONBLOCK) != 0;
            if (was != nonBlocking) {
                LibC.fcntl(fd, LinuxConstants.F_SETFL,
                        nonBlocking ? flags | LinuxConstants.O_NONBLOCK : flags & ~LinuxConstants.O_NONBLOCK);
            }
            return was;
        } catch (LastErrorException e) {
            throw failure("fcntl(O_NONBLOCK)", e);
        }
    }

    private static void setInt(int fd, int level, int name, int value, String call) throws NativeCallException {
        try {
            LibC.setsockopt(fd, level, name, new int[] {value}, Integer.BYTES);
        } catch (LastErrorException e) {
            throw failure(call, e);
        }
    }

    private static int getInt(int fd, int level, int name, String call) throws NativeCallException {
        byte[] raw = new byte[Integer.BYTES];
        try {
            LibC.getsockopt(fd, level, name, raw, new int[] {raw.length});
        } catch (LastErrorException e) {
            throw failure(call, e);
        }
        return LittleEndian.u32(raw, 0);
    }

    private static NativeCallException failure(String call, LastErrorException e) {
        String message = e.getMessage();
        // JNA formats it as "[errno] strerror"; keep only the words.
        String reason = message != null && message.startsWith("[") && message.indexOf("] ") > 0
                ? message.substring(message.indexOf("] ") + 2) : String.valueOf(message);
        return new NativeCallException(call, e.getErrorCode(), reason);
    }
}
