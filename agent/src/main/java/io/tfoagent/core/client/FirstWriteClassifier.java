package io.tfoagent.core.client;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Decides whether the first bytes an application writes on a new connection are
 * replay-safe, i.e. may ride in the SYN. Conservative: whatever is not clearly one of
 * these is {@link FirstWriteVerdict#NOT_REPLAY_SAFE}:
 * <ul>
 * <li>HTTP/1.0 and HTTP/1.1 request heads (pipelined ones too) whose method is in the
 *     safe set and that announce no body ({@code Transfer-Encoding}, or a
 *     {@code Content-Length} other than 0);</li>
 * <li>TLS handshake records, the first one starting with a ClientHello (so no 0-RTT
 *     early data);</li>
 * <li>the HTTP/2 client preface, followed only by SETTINGS, WINDOW_UPDATE, PING and
 *     PRIORITY frames.</li>
 * </ul>
 * Data that ends inside a head, record or frame is judged on what is there, because
 * applications write in pieces; only the first {@link #MAX_INSPECTED} bytes are read.
 * Reads in place (no copy, no buffer position moved) and allocates one small object
 * per call; thread-safe.
 */
public final class FirstWriteClassifier {
    /** Bytes read at most, to bound the cost; a SYN carries one segment of data, ~1.4 KB on Ethernet. */
    public static final int MAX_INSPECTED = 16384;

    /** The methods RFC 9110 (9.2.1) defines as safe, i.e. read-only: GET, HEAD, OPTIONS, TRACE. */
    public static final Set<String> DEFAULT_HTTP_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** A parse step's answer when the data cannot be replay-safe. */
    private static final int UNSAFE = -1;

    private static final byte[] HTTP_1_DOT = ascii("HTTP/1.");
    private static final byte[] CRLF = ascii("\r\n");
    /** Header names in lower case, compared case-insensitively. */
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    /** RFC 9110 tchar: what method and header names are made of. */
    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN_CHAR[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            TOKEN_CHAR[c] = true;
            TOKEN_CHAR[c + ('a' - 'A')] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN_CHAR[c] = true;
        }
    }

    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_CLIENT_HELLO = 0x01;
    /** RFC 8446 5.1: a plaintext record fragment is at most 2^14 bytes. */
    private static final int TLS_MAX_RECORD = 1 << 14;

    private static final byte[] H2_PREFACE = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private static final int H2_FRAME_HEADER = 9;
    private static final int H2_PRIORITY = 0x2;
    private static final int H2_SETTINGS = 0x4;
    private static final int H2_PING = 0x6;
    private static final int H2_WINDOW_UPDATE = 0x8;

    private final byte[][] safeMethods;

    /**
     * @param safeHttpMethods e.g. {@code Set.of("GET","HEAD","OPTIONS","TRACE")}; matched
     *     case-sensitively, as methods are
     * @throws IllegalArgumentException if one is not an HTTP token
     */
    public FirstWriteClassifier(Set<String> safeHttpMethods) {
        safeMethods = new byte[safeHttpMethods.size()][];
        int i = 0;
        for (String method : safeHttpMethods) {
            if (!isToken(method)) {
                throw new IllegalArgumentException("not an HTTP method token: '" + method + "'");
            }
            safeMethods[i++] = ascii(method);
        }
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /**
     * Classifies the bytes from each buffer's position to its limit, in order, as a
     * gathering write sends them. Leaves positions, limits and marks alone. Arguments the
     * write itself would reject (bad range, null buffer) give NOT_REPLAY_SAFE, so the
     * write still reports them.
     */
    public FirstWriteVerdict classify(ByteBuffer[] buffers, int offset, int length) {
        if (buffers == null || offset < 0 || length < 0 || offset > buffers.length - length) {
            return FirstWriteVerdict.NOT_REPLAY_SAFE;
        }
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i] == null) {
                return FirstWriteVerdict.NOT_REPLAY_SAFE;
            }
        }
        return classify(new Input(buffers, offset, offset + length));
    }

    /** Classifies the bytes from the buffer's position to its limit; moves nothing. */
    public FirstWriteVerdict classify(ByteBuffer buffer) {
        return buffer == null ? FirstWriteVerdict.NOT_REPLAY_SAFE : classify(new Input(buffer));
    }

    /** Classifies bytes[offset, offset + length), as {@code OutputStream.write} gets them. */
    public FirstWriteVerdict classify(byte[] bytes, int offset, int length) {
        if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
            return FirstWriteVerdict.NOT_REPLAY_SAFE;
        }
        return classify(new Input(bytes, offset, length));
    }

    private FirstWriteVerdict classify(Input in) {
        // Bytes past what was inspected could be anything (a pipelined POST), and loopback
        // SYNs carry up to 64 KB: a write longer than that is never replay-safe.
        // The shapes differ in their first bytes, so each fails fast on the others' data.
        boolean safe = in.end > 0 && !in.longer && (isTlsClientHello(in) || isHttp2Preface(in) || isSafeHttp1(in));
        return safe ? FirstWriteVerdict.REPLAY_SAFE : FirstWriteVerdict.NOT_REPLAY_SAFE;
    }

    // --- TLS ---

    /** Handshake records only, walked by their lengths; the first holds a ClientHello. */
    private static boolean isTlsClientHello(Input in) {
        if (in.end < 6 || in.get(5) != TLS_CLIENT_HELLO) {
            return false;
        }
        int p = 0;
        while (p < in.end) {
            // Anything else here (application data = 0-RTT, change_cipher_spec) is not replay-safe.
            if (in.get(p) != TLS_HANDSHAKE) {
                return false;
            }
            // Legacy record version 3.1 to 3.3; SSL 3.0 is not for us.
            if (p + 1 < in.end && in.get(p + 1) != 3) {
                return false;
            }
            if (p + 2 < in.end && (in.get(p + 2) < 1 || in.get(p + 2) > 3)) {
                return false;
            }
            if (p + 4 >= in.end) {
                return true; // the data ends inside a header that is valid so far
            }
            int length = in.get(p + 3) << 8 | in.get(p + 4);
            if (length == 0 || length > TLS_MAX_RECORD) {
                return false;
            }
            p += 5 + length;
        }
        return true;
    }

    // --- HTTP/2 ---

    /** The client preface, then only frames that change connection settings. */
    private static boolean isHttp2Preface(Input in) {
        if (expect(in, 0, H2_PREFACE) != H2_PREFACE.length) {
            return false; // also when the data ends inside it
        }
        int p = H2_PREFACE.length;
        // Each frame header: 24-bit length, type, flags, stream id. Stop where its type is not visible.
        while (p + 3 < in.end) {
            int type = in.get(p + 3);
            if (type != H2_SETTINGS && type != H2_WINDOW_UPDATE && type != H2_PING && type != H2_PRIORITY) {
                return false;
            }
            p += H2_FRAME_HEADER + (in.get(p) << 16 | in.get(p + 1) << 8 | in.get(p + 2));
        }
        return true;
    }

    // --- HTTP/1.x ---

    /** One or more request heads; the last may be cut short by the end of the data. */
    private boolean isSafeHttp1(Input in) {
        int p = 0;
        while (p >= 0 && p < in.end) {
            p = requestHead(in, p);
        }
        return p >= 0;
    }

    /**
     * A request head at p: the position after its empty line, {@code in.end} if the data
     * ends inside it while it is still safe, or UNSAFE.
     */
    private int requestHead(Input in, int p) {
        p = afterSafeMethod(in, p);
        if (p < 0 || p == in.end) {
            return p;
        }
        int target = p;
        while (p < in.end && in.get(p) > ' ' && in.get(p) < 0x7f) {
            p++;
        }
        if (p == in.end) {
            return p;
        }
        if (p == target || in.get(p) != ' ') {
            return UNSAFE;
        }
        p = expect(in, p + 1, HTTP_1_DOT);
        if (p < 0 || p == in.end) {
            return p;
        }
        if (in.get(p) != '0' && in.get(p) != '1') {
            return UNSAFE;
        }
        p = expect(in, p + 1, CRLF);
        while (p >= 0 && p < in.end) {
            if (in.get(p) == '\r') {
                return expect(in, p, CRLF); // the empty line that ends the head
            }
            p = headerLine(in, p);
        }
        return p;
    }

    /**
     * Past the space after a safe method at p, or UNSAFE: a head too short to show its
     * whole method and the space cannot be told apart from an unsafe one.
     */
    private int afterSafeMethod(Input in, int p) {
        for (byte[] method : safeMethods) {
            int space = p + method.length;
            if (space < in.end && expect(in, p, method) == space && in.get(space) == ' ') {
                return space + 1;
            }
        }
        return UNSAFE;
    }

    /**
     * A "name: value" CRLF line at p: the position after it, {@code in.end} if the data
     * ends inside it, or UNSAFE if it is malformed or announces a body. Strict on purpose:
     * a server may read a malformed line leniently as one that announces a body.
     */
    private static int headerLine(Input in, int p) {
        int name = p;
        while (p < in.end && isTokenChar(in.get(p))) {
            p++;
        }
        if (p == in.end) {
            return p; // the name is not all there, so it announces nothing yet
        }
        // Also refuses obs-fold continuation lines and whitespace before the colon.
        if (p == name || in.get(p) != ':') {
            return UNSAFE;
        }
        if (nameIs(in, name, p, TRANSFER_ENCODING)) {
            return UNSAFE;
        }
        boolean contentLength = nameIs(in, name, p, CONTENT_LENGTH);
        // Counted forward, so that the value is "0" exactly when nonBlank == 1 and lastIsZero.
        int nonBlank = 0;
        boolean lastIsZero = false;
        for (p++; p < in.end; p++) {
            int b = in.get(p);
            if (b == '\r') {
                break;
            }
            if (b == ' ' || b == '\t') {
                continue;
            }
            if (b < ' ' || b == 0x7f) {
                return UNSAFE; // a control character, a bare LF included
            }
            nonBlank++;
            lastIsZero = b == '0';
        }
        // A Content-Length whose value is not all there is not known to be 0.
        if (contentLength && (p == in.end || nonBlank != 1 || !lastIsZero)) {
            return UNSAFE;
        }
        return p == in.end ? p : expect(in, p, CRLF);
    }

    private static boolean isTokenChar(int b) {
        return b < 128 && TOKEN_CHAR[b];
    }

    /**
     * Whether token bytes [from, to) equal a lower-case name, ignoring case. Setting bit
     * 0x20 lower-cases letters, and maps no other token character onto a letter or '-'.
     */
    private static boolean nameIs(Input in, int from, int to, byte[] lowerCaseName) {
        if (to - from != lowerCaseName.length) {
            return false;
        }
        for (int i = 0; i < lowerCaseName.length; i++) {
            if ((in.get(from + i) | 0x20) != lowerCaseName[i]) {
                return false;
            }
        }
        return true;
    }

    /** Position after {@code literal} at p, {@code in.end} if the data ends inside it, or UNSAFE. */
    private static int expect(Input in, int p, byte[] literal) {
        for (byte b : literal) {
            if (p == in.end) {
                return p;
            }
            if (in.get(p++) != b) {
                return UNSAFE;
            }
        }
        return p;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    /**
     * The bytes to classify as one sequence of positions 0 to {@code end}, read in place
     * from an array or from buffers by absolute index. It keeps the current buffer, so
     * reading forward costs one range check per byte.
     */
    private static final class Input {
        /** Null when reading one array or one buffer. */
        private final ByteBuffer[] buffers;
        private final int firstBuffer;
        /** Bytes to inspect: all there are, at most MAX_INSPECTED. */
        final int end;
        /** Whether there are more than MAX_INSPECTED. */
        final boolean longer;

        /** Index in buffers of the one after the current segment. */
        private int nextBuffer;
        /** The current segment holds positions [segmentStart, segmentEnd). */
        private int segmentStart;
        private int segmentEnd;
        /** The segment's backing array when accessible, else null to read through segment. */
        private byte[] array;
        private ByteBuffer segment;
        /** Index in array (or in segment) = position + shift. */
        private int shift;

        Input(byte[] bytes, int offset, int length) {
            buffers = null;
            firstBuffer = 0;
            end = Math.min(length, MAX_INSPECTED);
            longer = length > MAX_INSPECTED;
            array = bytes;
            shift = offset;
            segmentEnd = end;
        }

        Input(ByteBuffer buffer) {
            buffers = null;
            firstBuffer = 0;
            end = Math.min(buffer.remaining(), MAX_INSPECTED);
            longer = buffer.remaining() > MAX_INSPECTED;
            use(buffer, 0);
        }

        Input(ByteBuffer[] buffers, int from, int to) {
            this.buffers = buffers;
            firstBuffer = from;
            nextBuffer = from;
            long total = 0;
            for (int i = from; i < to && total <= MAX_INSPECTED; i++) {
                total += buffers[i].remaining();
            }
            end = (int) Math.min(total, MAX_INSPECTED);
            longer = total > MAX_INSPECTED;
        }

        /** The byte at 0 <= pos < end, unsigned. */
        int get(int pos) {
            if (pos < segmentStart || pos >= segmentEnd) {
                seek(pos);
            }
            return (array != null ? array[pos + shift] : segment.get(pos + shift)) & 0xff;
        }

        /** Only reached with gathering buffers; reading backwards starts over from the first. */
        private void seek(int pos) {
            if (pos < segmentStart) {
                nextBuffer = firstBuffer;
                segmentEnd = 0;
            }
            while (pos >= segmentEnd) {
                use(buffers[nextBuffer++], segmentEnd); // empty buffers pass straight through
            }
        }

        private void use(ByteBuffer buffer, int start) {
            segment = buffer;
            segmentStart = start;
            // Capped so that a huge buffer cannot overflow the positions.
            segmentEnd = start + Math.min(buffer.remaining(), MAX_INSPECTED);
            if (buffer.hasArray()) {
                array = buffer.array();
                shift = buffer.arrayOffset() + buffer.position() - start;
            } else {
                array = null;
                shift = buffer.position() - start;
            }
        }
    }
}
