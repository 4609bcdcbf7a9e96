package io.tfoagent.shim;

/** Kernel structs come back in the machine's byte order, little-endian on both supported arches. */
final class LittleEndian {
    private LittleEndian() {}

    static int u32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static long u64(byte[] b, int at) {
        return (u32(b, at) & 0xffff_ffffL) | (long) u32(b, at + 4) << 32;
    }
}
