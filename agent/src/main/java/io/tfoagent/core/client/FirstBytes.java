package io.tfoagent.core.client;

import java.nio.ByteBuffer;

/**
 * The bytes of a first write, in whatever shape the JDK method got them (a ByteBuffer, a
 * range of a ByteBuffer[], a range of a byte[], or none the agent can see): classified on
 * demand, measured, and copied for a replay without moving any buffer's position.
 */
public class FirstBytes {
    /** A write whose bytes the agent cannot see (sendfile): never replay-safe, never copied. */
    public static final FirstBytes UNSEEN = new FirstBytes(null, 0, 0);

    private final Object bytes;
    private final int offset;
    private final int length;

    FirstBytes(Object bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /**
     * @param bytes a ByteBuffer, a ByteBuffer[] (offset and length count buffers), a byte[]
     *              (offset and length count bytes), or null when they cannot be seen
     */
    public static FirstBytes of(Object bytes, int offset, int length) {
        return bytes == null ? UNSEEN : new FirstBytes(bytes, offset, length);
    }

    FirstWriteVerdict classify(FirstWriteClassifier classifier) {
        if (bytes instanceof ByteBuffer) {
            return classifier.classify((ByteBuffer) bytes);
        }
        if (bytes instanceof ByteBuffer[]) {
            return classifier.classify((ByteBuffer[]) bytes, offset, length);
        }
        if (bytes instanceof byte[]) {
            return classifier.classify((byte[]) bytes, offset, length);
        }
        return FirstWriteVerdict.NOT_REPLAY_SAFE;
    }

    /** How many bytes the write has, -1 when the agent cannot see them. */
    long length() {
        if (bytes instanceof ByteBuffer) {
            return ((ByteBuffer) bytes).remaining();
        }
        if (bytes instanceof ByteBuffer[]) {
            long sum = 0;
            for (ByteBuffer b : buffers()) {
                sum += b.remaining();
            }
            return sum;
        }
        return bytes == null ? -1 : length;
    }

    /** The bytes as they are now (call before the write moves the buffers); null when unseen or out of range. */
    byte[] copy() {
        if (bytes instanceof byte[]) {
            byte[] all = (byte[]) bytes;
            if (offset < 0 || length < 0 || offset > all.length - length) {
                return null; // the write itself rejects the range
            }
            byte[] copy = new byte[length];
            System.arraycopy((byte[]) bytes, offset, copy, 0, length);
            return copy;
        }
        if (bytes == null) {
            return null;
        }
        ByteBuffer copy = ByteBuffer.allocate((int) length());
        for (ByteBuffer b : buffers()) {
            copy.put(b.duplicate());
        }
        return copy.array();
    }

    /**
     * After the write returned: whether it took every byte. A buffer write may take part; an
     * array write (java.net.Socket's stream, the channel's blockingWriteFully) returns only
     * once all is written.
     */
    boolean allTaken() {
        if (bytes instanceof byte[]) {
            return true;
        }
        return bytes != null && length() == 0;
    }

    private ByteBuffer[] buffers() {
        if (bytes instanceof ByteBuffer) {
            return new ByteBuffer[] {(ByteBuffer) bytes};
        }
        ByteBuffer[] all = (ByteBuffer[]) bytes;
        int from = Math.min(offset, all.length);
        int to = Math.min(offset + length, all.length);
        int nonNull = 0;
        for (int i = from; i < to; i++) {
            nonNull += all[i] == null ? 0 : 1;
        }
        ByteBuffer[] range = new ByteBuffer[nonNull];
        for (int i = from, j = 0; i < to; i++) {
            if (all[i] != null) {
                range[j++] = all[i];
            }
        }
        return range;
    }
}
