package io.tfoagent.shim;

/**
 * The Linux ABI numbers the agent needs, in one place. They are the same on x86_64 and
 * aarch64 (both use the generic socket ABI), the only two architectures {@link Platform}
 * accepts.
 */
public final class LinuxConstants {
    private LinuxConstants() {}

    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int SO_DOMAIN = 39;
    public static final int IPPROTO_TCP = 6;

    public static final int TCP_INFO = 11;
    /** Server: queue length of pending TFO requests on a listener (RFC 7413 section 5.1). */
    public static final int TCP_FASTOPEN = 23;
    /** Client: defer connect() until the first write, which then rides in the SYN. */
    public static final int TCP_FASTOPEN_CONNECT = 30;
    /**
     * Server: the listener's own cookie key, 16 bytes (Linux 4.15+), or 32 for a primary and a
     * backup key (5.3+), replacing the namespace's key for cookies made and checked on it.
     */
    public static final int TCP_FASTOPEN_KEY = 33;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    /** {@code net.ipv4.tcp_fastopen} bits. */
    public static final int TFO_CLIENT_ENABLE = 0x1;
    public static final int TFO_SERVER_ENABLE = 0x2;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 04000;

    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EINVAL = 22;
    public static final int ENOTSOCK = 88;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int ENETUNREACH = 101;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EINPROGRESS = 115;
    public static final int ECONNABORTED = 103;
    public static final int EAFNOSUPPORT = 97;
}
