package io.tfoagent.shim;

import com.sun.jna.LastErrorException;

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
     * SO_SNDTIMEO: how long a blocking send may wait, 0 for ever. On a deferred socket the
     * first blocking send waits for the handshake, and this bounds that wait too.
     */
    public static void setSendTimeout(int fd, int millis) throws NativeCallException {
        long[] timeval = {millis / 1000, (millis % 1000) * 1000L};
        try {
            LibC.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_SNDTIMEO, timeval, 2 * Long.BYTES);
        } catch (LastErrorException e) {
            throw failure("setsockopt(SO_SNDTIMEO)", e);
        }
    }

    /** The pending error of the socket (SO_ERROR), clearing it; 0 when there is none. */
    public static int takeError(int fd) throws NativeCallException {
        return getInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ERROR, "getsockopt(SO_ERROR)");
    }

    /**
     * Waits until the socket is writable or failed, at most {@code timeoutMillis} (negative:
     * no limit). A socket whose SYN is out becomes writable when the handshake completes.
     *
     * @return the poll revents, 0 when the time ran out
     */
    public static int awaitWritable(int fd, int timeoutMillis) throws NativeCallException {
        int[] pollfd = {fd, LinuxConstants.POLLOUT};
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            try {
                int ready = LibC.poll(pollfd, 1, timeoutMillis);
                return ready == 0 ? 0 : pollfd[1] >>> 16;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LinuxConstants.EINTR) {
                    throw failure("poll", e);
                }
                if (timeoutMillis >= 0) {
                    timeoutMillis = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                }
            }
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
