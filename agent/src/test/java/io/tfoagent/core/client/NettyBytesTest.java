package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tfoagent.shim.NativeMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Netty's write shapes as FirstBytes: the bytes the kernel will read, and nothing else; a bad range unseen. */
class NettyBytesTest {
    private final FirstWriteClassifier classifier = new FirstWriteClassifier(FirstWriteClassifier.DEFAULT_HTTP_METHODS);

    @Test
    void aBufferRangeIsPosToLimitWhateverTheBuffersOwnPosition() {
        ByteBuffer buf = direct("xxGET / HTTP/1.1\r\nHost: t\r\n\r\nyy");
        buf.position(5);
        FirstBytes bytes = NettyBytes.range(buf, 2, buf.capacity() - 2);
        assertEquals("GET / HTTP/1.1\r\nHost: t\r\n\r\n", text(bytes.copy()));
        assertEquals(FirstWriteVerdict.REPLAY_SAFE, bytes.classify(classifier));
        assertEquals(5, buf.position(), "Netty's buffer is left as it was");
    }

    @Test
    void nativeMemoryIsSeenInPlace() {
        ByteBuffer buf = direct("..POST / HTTP/1.1\r\n");
        FirstBytes bytes = NettyBytes.range(NativeMemory.addressOf(buf), 2, buf.capacity());
        assertEquals(buf.capacity() - 2, bytes.length());
        assertEquals(FirstWriteVerdict.NOT_REPLAY_SAFE, bytes.classify(classifier));
    }

    @Test
    void iovecsAreReadAsTheKernelReadsThem() {
        ByteBuffer a = direct("GET / HT");
        ByteBuffer b = direct("TP/1.1\r\nHost: t\r\n\r\n");
        ByteBuffer array = ByteBuffer.allocateDirect(2 * NativeMemory.IOVEC_SIZE).order(ByteOrder.nativeOrder());
        array.putLong(NativeMemory.addressOf(a)).putLong(a.capacity()).putLong(NativeMemory.addressOf(b))
                .putLong(b.capacity());
        FirstBytes bytes = NettyBytes.iovecs(NativeMemory.addressOf(array), 2);
        assertArrayEquals("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), bytes.copy());
        assertEquals(FirstWriteVerdict.REPLAY_SAFE, bytes.classify(classifier));
    }

    @Test
    void rangesNettyWouldRejectAreUnseen() {
        ByteBuffer buf = direct("GET / HTTP/1.1\r\n\r\n");
        assertSame(FirstBytes.UNSEEN, NettyBytes.range(buf, 3, 2));
        assertSame(FirstBytes.UNSEEN, NettyBytes.range(buf, 0, buf.capacity() + 1));
        assertSame(FirstBytes.UNSEEN, NettyBytes.range(null, 0, 0));
        assertSame(FirstBytes.UNSEEN, NettyBytes.range(0L, 0, 4));
        assertSame(FirstBytes.UNSEEN, NettyBytes.range(NativeMemory.addressOf(buf), 4, 2));
        assertSame(FirstBytes.UNSEEN, NettyBytes.iovecs(0L, 1));
        assertSame(FirstBytes.UNSEEN, NettyBytes.buffers(null, 0, 1));
        assertEquals(FirstWriteVerdict.NOT_REPLAY_SAFE, FirstBytes.UNSEEN.classify(classifier));
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
