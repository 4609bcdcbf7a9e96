package io.tfoagent.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FleetKeysTest {
    /** Each hex word is a number the kernel stores little-endian (FleetKeysIT checks it against the sysctl). */
    @Test
    void primaryKeyIsFourLittleEndianWords() {
        assertArrayEquals(new byte[] {0x33, 0x22, 0x11, 0x00, 0x77, 0x66, 0x55, 0x44, (byte) 0xbb, (byte) 0xaa,
            (byte) 0x99, (byte) 0x88, (byte) 0xff, (byte) 0xee, (byte) 0xdd, (byte) 0xcc},
                FleetKeys.parse("00112233-44556677-8899AABB-ccddeeff\n"));
    }

    @Test
    void backupKeyFollowsThePrimary() {
        byte[] keys = FleetKeys.parse("00000000-00000000-00000000-00000001,01000000-00000000-00000000-00000000");
        byte[] expected = new byte[32];
        expected[12] = 1;
        expected[19] = 1;
        assertArrayEquals(expected, keys);
    }

    @Test
    void anythingElseIsMalformed() {
        for (String bad : new String[] {"", "00112233", "00112233-44556677-8899aabb", "0011223-44556677-8899aabb-ccddeeff",
            "00112233-44556677-8899aabb-ccddeefg", "00112233-44556677-8899aabb-ccddeeff,",
            "00112233-44556677-8899aabb-ccddeeff,00112233-44556677-8899aabb-ccddeeff,00112233-44556677-8899aabb-ccddeeff",
            "00112233-44556677-8899aabb-ccddeeff\n00112233-44556677-8899aabb-ccddeeff", "+0112233-44556677-8899aabb-ccddeeff"}) {
            assertNull(FleetKeys.parse(bad), bad);
        }
    }
}
