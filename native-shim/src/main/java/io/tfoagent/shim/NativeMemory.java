package io.tfoagent.shim;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Native memory another library handed to the kernel (Netty's direct buffers, its iovec arrays),
 * seen where it lies: a direct ByteBuffer over it copies nothing. Valid only while that library's
 * call is under way, which owns the memory.
 */
public final class NativeMemory {
    /** One iovec (struct iovec on 64-bit Linux): {@code void *iov_base; size_t iov_len}. */
    public static final int IOVEC_SIZE = 16;

    private NativeMemory() {}

    /** The {@code length} bytes at {@code address}, as a direct buffer over them (position 0). */
    public static ByteBuffer view(long address, int length) {
        return new Pointer(address).getByteBuffer(0, length);
    }

    /** The 64-bit value at {@code address}, in the machine's order. */
    public static long readLong(long address) {
        return new Pointer(address).getLong(0);
    }

    /** Where a direct buffer's memory lies (tests hand such addresses to the code that reads them). */
    public static long addressOf(ByteBuffer direct) {
        return Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(direct));
    }
}
