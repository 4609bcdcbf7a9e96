package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TcpInfoTest {

    private static byte[] struct(int state, int options, int byte7, int rtt, int totalRetrans) {
        ByteBuffer b = ByteBuffer.allocate(104).order(ByteOrder.LITTLE_ENDIAN);
        // Fill every byte with noise so that a wrong offset shows.
        for (int i = 0; i < 104; i++) {
            b.put(i, (byte) (0x40 + i));
        }
        b.put(0, (byte) state);
        b.put(5, (byte) options);
        b.put(7, (byte) byte7);
        b.putInt(68, rtt);
        b.putInt(100, totalRetrans);
        return b.array();
    }

    @Test
    void decodesFieldsAtTheirOffsets() {
        TcpInfo info = TcpInfo.decode(struct(TcpInfo.STATE_SYN_SENT, TcpInfo.OPT_SYN_DATA | TcpInfo.OPT_TFO_CHILD,
                0b0000_0100, 0x0001_2345, 0x0a0b_0c0d), 104);
        assertEquals(2, info.state());
        assertEquals(0xa0, info.options());
        assertTrue(info.synData());
        assertTrue(info.fastOpenChild());
        assertEquals(2, info.fastOpenClientFail());
        assertEquals(0x12345, info.rttMicros());
        assertEquals(0x0a0b0c0d, info.totalRetransmits());
    }

    @Test
    void optionBitsAreIndependent() {
        TcpInfo synDataOnly = TcpInfo.decode(struct(1, 0x20 | 0x07, 0, 0, 0), 104);
        assertTrue(synDataOnly.synData());
        assertFalse(synDataOnly.fastOpenChild());
        TcpInfo childOnly = TcpInfo.decode(struct(1, 0x80, 0, 0, 0), 104);
        assertFalse(childOnly.synData());
        assertTrue(childOnly.fastOpenChild());
        assertEquals(0x80, childOnly.options());
        TcpInfo none = TcpInfo.decode(struct(TcpInfo.STATE_ESTABLISHED, 0x07, 0, 0, 0), 104);
        assertFalse(none.synData());
        assertFalse(none.fastOpenChild());
        assertEquals(1, none.state());
    }

    @Test
    void fastOpenClientFailIsBitsOneAndTwoOfByteSeven() {
        // bit 0 is tcpi_delivery_rate_app_limited, bits 1-2 fastopen_client_fail, the rest unused.
        assertEquals(0, TcpInfo.decode(struct(1, 0, 0b0000_0001, 0, 0), 104).fastOpenClientFail());
        assertEquals(1, TcpInfo.decode(struct(1, 0, 0b0000_0010, 0, 0), 104).fastOpenClientFail());
        assertEquals(3, TcpInfo.decode(struct(1, 0, 0b0000_0111, 0, 0), 104).fastOpenClientFail());
        assertEquals(0, TcpInfo.decode(struct(1, 0, 0b1111_1001, 0, 0), 104).fastOpenClientFail());
        assertEquals(3, TcpInfo.decode(struct(1, 0, 0xff, 0, 0), 104).fastOpenClientFail());
    }

    @Test
    void unsignedBytesAndLargeValues() {
        TcpInfo info = TcpInfo.decode(struct(0xff, 0xff, 0, 0x7fff_ffff, 0), 104);
        assertEquals(255, info.state());
        assertEquals(255, info.options());
        assertEquals(Integer.MAX_VALUE, info.rttMicros());
        assertEquals(0, info.totalRetransmits());
    }

    @Test
    void longerBufferIsFine() {
        byte[] big = new byte[232];
        System.arraycopy(struct(10, 0, 0, 500, 3), 0, big, 0, 104);
        TcpInfo info = TcpInfo.decode(big, 232);
        assertEquals(TcpInfo.STATE_LISTEN, info.state());
        assertEquals(500, info.rttMicros());
        assertEquals(3, info.totalRetransmits());
    }

    @Test
    void tooShortIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpInfo.decode(new byte[104], 103));
        assertTrue(e.getMessage().contains("103"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcpInfo.decode(new byte[0], 0));
    }

    @Test
    void toStringShowsFields() {
        TcpInfo info = TcpInfo.decode(struct(1, 0xa0, 0b0110, 250, 4), 104);
        assertEquals("TcpInfo[state=1, options=0xa0, fastOpenClientFail=3, rtt=250us, retrans=4, bytesAcked=-1,"
                + " segsOut=-1]", info.toString());
    }

    @Test
    void countersAreReadWhenTheKernelFillsThem() {
        ByteBuffer big = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        big.put(struct(7, 0, 0, 0, 0));
        big.putLong(120, 0x1_0000_0004L);
        big.putInt(136, 0xffff_fffe);
        TcpInfo info = TcpInfo.decode(big.array(), 144);
        assertEquals(0x1_0000_0004L, info.bytesAcked());
        assertEquals(0xffff_fffeL, info.segmentsOut());
        assertTrue(info.handshakeCompleted());
        assertFalse(info.handshakeNeverCompleted());
    }

    @Test
    void aSynNeverAckedIsProvenOnlyByAKernelThatCounts() {
        TcpInfo refused = TcpInfo.decode(new byte[144], 144);
        assertTrue(refused.handshakeNeverCompleted());
        assertFalse(refused.handshakeCompleted());
        TcpInfo oldKernel = TcpInfo.decode(new byte[104], 104);
        assertEquals(TcpInfo.UNKNOWN, oldKernel.bytesAcked());
        assertFalse(oldKernel.handshakeNeverCompleted(), "an old kernel proves nothing");
        assertFalse(oldKernel.handshakeCompleted());
    }
}
