package io.tfoagent.core.client;

import io.tfoagent.shim.NativeMemory;
import java.nio.ByteBuffer;

/**
 * The bytes of a write of Netty's native transport, in the shapes its {@code unix.FileDescriptor}
 * and {@code unix.Socket} hand them to the kernel, as {@link FirstBytes} over the very memory the
 * kernel will read: views, never copies (a copy is made only of what rides in a SYN, as for any
 * socket). A range Netty itself would reject is shown as unseen: never replay-safe, so a bare SYN.
 */
public final class NettyBytes {
    private NettyBytes() {}

    /** {@code write(ByteBuffer buf, int pos, int limit)}: the bytes from pos to limit, whatever buf's own position. */
    public static FirstBytes range(ByteBuffer buf, int pos, int limit) {
        if (buf == null || pos < 0 || limit < pos || limit > buf.capacity()) {
            return FirstBytes.UNSEEN;
        }
        ByteBuffer view = buf.duplicate();
        view.limit(limit).position(pos);
        return FirstBytes.of(view, 0, 0);
    }

    /** {@code writeAddress(long address, int pos, int limit)}: the bytes from address + pos to address + limit. */
    public static FirstBytes range(long address, int pos, int limit) {
        if (address == 0 || pos < 0 || limit < pos) {
            return FirstBytes.UNSEEN;
        }
        return FirstBytes.of(NativeMemory.view(address + pos, limit - pos), 0, 0);
    }

    /**
     * {@code writev(ByteBuffer[] buffers, int offset, int length, long maxBytes)}: each buffer from
     * its position to its limit. The kernel may take only the first maxBytes of them; classifying
     * all of them is as safe, since a prefix of replay-safe bytes is replay-safe.
     */
    public static FirstBytes buffers(ByteBuffer[] buffers, int offset, int length) {
        return buffers == null ? FirstBytes.UNSEEN : FirstBytes.of(buffers, offset, length);
    }

    /** {@code writevAddresses(long iovecs, int count)}: the memory each of {@code count} struct iovec names. */
    public static FirstBytes iovecs(long iovecs, int count) {
        if (iovecs == 0 || count < 0) {
            return FirstBytes.UNSEEN;
        }
        ByteBuffer[] views = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long entry = iovecs + (long) i * NativeMemory.IOVEC_SIZE;
            long base = NativeMemory.readLong(entry);
            long length = NativeMemory.readLong(entry + Long.BYTES);
            if (base == 0 || length < 0 || length > Integer.MAX_VALUE) {
                return FirstBytes.UNSEEN;
            }
            views[i] = NativeMemory.view(base, (int) length);
        }
        return FirstBytes.of(views, 0, count);
    }
}
