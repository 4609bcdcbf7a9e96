package io.tfoagent.shim;

/**
 * The part of Linux {@code struct tcp_info} the agent reads. Offsets follow
 * {@code include/uapi/linux/tcp.h}; every field used here has been there since 2.6 except
 * {@code tcpi_fastopen_client_fail} (5.5), which older kernels leave zero.
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

    /** Bytes of struct tcp_info asked for; the kernel fills what it has. */
    static final int REQUEST_LENGTH = 104;
    private static final int DECODED_LENGTH = 104;

    private final int state;
    private final int options;
    private final int fastOpenClientFail;
    private final int rttMicros;
    private final int totalRetransmits;

    TcpInfo(int state, int options, int fastOpenClientFail, int rttMicros, int totalRetransmits) {
        this.state = state;
        this.options = options;
        this.fastOpenClientFail = fastOpenClientFail;
        this.rttMicros = rttMicros;
        this.totalRetransmits = totalRetransmits;
    }

    /** Decodes the little-endian struct as returned by getsockopt; both supported arches are LE. */
    static TcpInfo decode(byte[] raw, int length) {
        if (length < DECODED_LENGTH) {
            throw new IllegalArgumentException("tcp_info too short: " + length + " bytes");
        }
        return new TcpInfo(raw[0] & 0xff, raw[5] & 0xff, (raw[7] >> 1) & 0x3, LittleEndian.u32(raw, 68), LittleEndian.u32(raw, 100));
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

    @Override
    public String toString() {
        return "TcpInfo[state=" + state + ", options=0x" + Integer.toHexString(options)
                + ", fastOpenClientFail=" + fastOpenClientFail + ", rtt=" + rttMicros + "us, retrans="
                + totalRetransmits + "]";
    }
}
