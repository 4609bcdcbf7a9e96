package io.tfoagent.it.rtt;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls the delay line needs, direct-mapped (one JNI transition per call; a TUN fd is
 * read and written once per packet). No method throws on failure: the forwarding loops test the
 * return value and read {@link Native#getLastError()} instead, because {@code EAGAIN} at the end
 * of every batch is normal and must not cost an exception. LP64 Linux only.
 */
final class RttLibc {
    static {
        Native.register(RttLibc.class, NativeLibrary.getInstance("c"));
    }

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final short POLLIN = 0x1;

    static final int CLONE_NEWNET = 0x40000000;

    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    /** {@code sizeof(struct ifreq)}: a 16-byte name, then a union whose {@code short ifr_flags} starts it. */
    static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;

    static final int PR_SET_TIMERSLACK = 29;

    static final int SCHED_FIFO = 1;

    private RttLibc() {}

    static native int open(String path, int flags);

    static native int close(int fd);

    /** {@code buf} is a native address (a {@code void *} passes as a 64-bit integer on LP64): no Pointer object per call. */
    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    /** Variadic in C; on LP64 Linux a pointer third argument passes the same either way. */
    static native int ioctl(int fd, long request, Pointer arg);

    /** {@code struct pollfd} is {int fd; short events; short revents}: two ints per entry, little-endian. */
    static native int poll(int[] pollfds, long count, int timeoutMillis);

    /** Moves the calling thread, and only it, into the namespace {@code fd} refers to. */
    static native int setns(int fd, int nstype);

    static native int eventfd(int initval, int flags);

    /** Variadic in C, like ioctl. */
    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** {@code pid} 0: the calling thread only (Linux schedules threads); {@code param} is {int sched_priority}. */
    static native int sched_setscheduler(int pid, int policy, int[] param);

    static native Pointer strerror(int errnum);

    static String describe(int errno) {
        Pointer message = strerror(errno);
        return (message == null ? "errno" : message.getString(0)) + " (errno " + errno + ")";
    }
}
