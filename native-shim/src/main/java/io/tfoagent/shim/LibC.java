package io.tfoagent.shim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Direct-mapped libc entry points. Direct mapping binds each method once at class load,
 * so a call costs a JNI transition and nothing else. {@code size_t}/{@code ssize_t} are
 * {@code long}: the shim only runs on LP64 Linux ({@link Platform}).
 */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {}

    static native int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, byte[] value, int[] length) throws LastErrorException;

    static native long send(int fd, byte[] buf, long length, int flags) throws LastErrorException;

    static native int connect(int fd, byte[] address, int length) throws LastErrorException;

    /** {@code fcntl(fd, cmd, int)}: variadic in C, passed like a named int on both supported ABIs. */
    static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;
}
