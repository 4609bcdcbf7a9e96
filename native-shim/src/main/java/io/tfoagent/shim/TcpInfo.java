package io.tfoagent.shim;

/**
 * The part of Linux {@code struct tcp_info} the agent reads. Offsets follow
 * {@code include/uapi/linux/tcp.h}; every field used here has been there since 2.6 except
 * {@code tcpi_fastopen_client_fail} (5.5), which older kernels leave zero, and
 * {@code tcpi_bytes_acked} (4.1) and {@code tcpi_segs_out} (4.2), reported as
 * {@link #UNKNOWN} by a kernel that does not fill them (client TFO needs 4.11 anyway).
 */
public final class TcpInfo {
    public static final int STATE_ESTABLISHED = 1;
    public static final int STATE_SYN_SENT = 2;
    public static final int STATE_CLOSE = 7;
    public static final int STATE_LISTEN = 10;

    /** Client: the SYN's data was acked. Server: the child accepted data from the SYN. */
    public static final int OPT_SYN_DATA = 0x20;
    /** Server: the child socket was created by a TFO SYN. */
    public static final int OPT_TFO_CHILD = 0x80;

    /** {@code tcpi_fastopen_client_fail}: the SYN (with its data) had to be retransmitted. */
    public static final int FASTOPEN_SYN_RETRANSMITTED = 3;

    /** A counter the kernel did not report. */
    public static final long UNKNOWN = -1;

    /** Bytes of struct tcp_info asked for; the kernel fills what it has. */
    static final int REQUEST_LENGTH = 144;
    private static final int DECODED_LENGTH = 104;
    private static final int BYTES_ACKED_OFFSET = 120;
    private static final int SEGS_OUT_OFFSET = 136;

    private final int state;
    private final int options;
    private final int fastOpenClientFail;
    private final int rttMicros;
    private final int totalRetransmits;
    private final long bytesAcked;
    private final long segmentsOut;

    private TcpInfo(int state, int options, int fastOpenClientFail, int rttMicros, int totalRetransmits,
            long bytesAcked, long segmentsOut) {
        this.state = state;
        this.options = options;
        this.fastOpenClientFail = fastOpenClientFail;
        this.rttMicros = rttMicros;
        this.totalRetransmits = totalRetransmits;
        this.bytesAcked = bytesAcked;
        this.segmentsOut = segmentsOut;
    }

    /** A client socket as a kernel would describe it: for fake kernels in tests of the agent's logic. */
    public static TcpInfo ofClient(int state, int options, int fastOpenClientFail, int totalRetransmits,
            long bytesAcked, long segmentsOut) {
        return new TcpInfo(state, options, fastOpenClientFail, 0, totalRetransmits, bytesAcked, segmentsOut);
    }

    /** Decodes the little-endian struct as returned by getsockopt; both supported arches are LE. */
    static TcpInfo decode(byte[] raw, int length) {
        if (length < DECODED_LENGTH) {
            throw new IllegalArgumentException("tcp_info too short: " + length + " bytes");
        }
        boolean counters = length >= SEGS_OUT_OFFSET + Integer.BYTES;
        return new TcpInfo(raw[0] & 0xff, raw[5] & 0xff, (raw[7] >> 1) & 0x3, LittleEndian.u32(raw, 68),
                LittleEndian.u32(raw, 100), counters ? LittleEndian.u64(raw, BYTES_ACKED_OFFSET) : UNKNOWN,
                counters ? LittleEndian.u32(raw, SEGS_OUT_OFFSET) & 0xffff_ffffL : UNKNOWN);
    }

    /** {@code tcpi_state}: a TCP_* state number (1 ESTABLISHED, 2 SYN_SENT, 10 LISTEN...). */
    public int state() {
        return state;
    }

    /** {@code tcpi_options}: TCPI_OPT_* bits. */
    public int options() {
        return options;
    }

    public boolean synData() {
        return (options & OPT_SYN_DATA) != 0;
    }

    public boolean fastOpenChild() {
        return (options & OPT_TFO_CHILD) != 0;
    }

    /** {@code tcpi_fastopen_client_fail}: 0 unspecified, 1 no cookie, 2 data not acked, 3 SYN retransmitted. */
    public int fastOpenClientFail() {
        return fastOpenClientFail;
    }

    public int rttMicros() {
        return rttMicros;
    }

    public int totalRetransmits() {
        return totalRetransmits;
    }

    /**
     * {@code tcpi_bytes_acked}: counts the SYN itself once the peer acked it, so 0 means the
     * handshake never completed (seen here: 0 after a refused or unanswered SYN, with or
     * without data; 1 on a fresh connection that sent nothing; 1 + data once data is acked).
     */
    public long bytesAcked() {
        return bytesAcked;
    }

    /** {@code tcpi_segs_out}: 0 on a deferred socket that has not sent its SYN yet. */
    public long segmentsOut() {
        return segmentsOut;
    }

    /** Whether the peer acked this socket's SYN: false also when the kernel cannot tell. */
    public boolean handshakeCompleted() {
        return bytesAcked > 0;
    }

    /** Whether the kernel says the handshake never completed (its SYN was never acked). */
    public boolean handshakeNeverCompleted() {
        return bytesAcked == 0;
    }

    @Override
    public String toString() {
        return "TcpInfo[state=" + state + ", options=0x" + Integer.toHexString(options)
                + ", fastOpenClientFail=" + fastOpenClientFail + ", rtt=" + rttMicros + "us, retrans="
                + totalRetransmits + ", bytesAcked=" + bytesAcked + ", segsOut=" + segmentsOut + "]";
    }
}
