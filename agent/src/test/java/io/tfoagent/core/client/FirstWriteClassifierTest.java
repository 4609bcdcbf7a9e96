package io.tfoagent.core.client;

import static io.tfoagent.core.client.FirstWriteClassifier.MAX_INSPECTED;
import static io.tfoagent.core.client.FirstWriteVerdict.NOT_REPLAY_SAFE;
import static io.tfoagent.core.client.FirstWriteVerdict.REPLAY_SAFE;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FirstWriteClassifierTest {

    private static final FirstWriteClassifier DEFAULT =
            new FirstWriteClassifier(FirstWriteClassifier.DEFAULT_HTTP_METHODS);

    /**
     * Surrounds the data in every array and buffer: control bytes that make any safe input
     * unsafe if they were read, and look like an h2 HEADERS or a non-handshake TLS type.
     */
    private static final byte[] JUNK = {1, 1, 1, 1};

    private static final String HEAD = " /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n"
            + "User-Agent: test/1.0\r\nAccept: */*\r\n\r\n";

    // --- helpers: one verdict, checked through every way the bytes can arrive ---

    private static void assertSafe(String data) {
        assertVerdict(REPLAY_SAFE, DEFAULT, bytes(data));
    }

    private static void assertNotSafe(String data) {
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, bytes(data));
    }

    /** ISO-8859-1 so that any char below 256 stands for one byte. */
    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static String show(byte[] data) {
        String s = new String(data, 0, Math.min(data.length, 80), ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n") + (data.length > 80 ? "..." : "");
    }

    /** How a buffer holding some bytes is made; each puts JUNK before position and after limit. */
    private enum Kind {
        HEAP, DIRECT, READ_ONLY_HEAP, READ_ONLY_DIRECT,
        /** A slice with a non-zero arrayOffset, and a position inside the slice. */
        SLICED_HEAP;

        ByteBuffer make(byte[] data) {
            int capacity = JUNK.length + data.length + JUNK.length;
            ByteBuffer b = this == DIRECT || this == READ_ONLY_DIRECT
                    ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            b.put(JUNK).put(data).put(JUNK);
            if (this == SLICED_HEAP) {
                b = ByteBuffer.wrap(concat(JUNK, b.array())).position(JUNK.length).slice();
            }
            b.limit(JUNK.length + data.length).position(JUNK.length).mark();
            return this == READ_ONLY_HEAP || this == READ_ONLY_DIRECT ? b.asReadOnlyBuffer() : b;
        }
    }

    /** Position, limit and mark as {@link Kind#make} left them: JUNK.length, data length after it. */
    private static void assertUntouched(ByteBuffer b, int length, String where) {
        assertEquals(JUNK.length, b.position(), "position moved: " + where);
        assertEquals(JUNK.length + length, b.limit(), "limit moved: " + where);
        b.position(b.limit()).reset();
        assertEquals(JUNK.length, b.position(), "mark moved: " + where);
    }

    private static void assertVerdict(FirstWriteVerdict expected, FirstWriteClassifier c, byte[] data) {
        String what = show(data);
        assertSame(expected, c.classify(concat(JUNK, data, JUNK), JUNK.length, data.length), "byte[] " + what);
        for (Kind kind : Kind.values()) {
            ByteBuffer b = kind.make(data);
            assertSame(expected, c.classify(b), kind + " " + what);
            assertUntouched(b, data.length, kind + " " + what);
        }
        Kind[][] pairs = {{Kind.HEAP, Kind.DIRECT}, {Kind.READ_ONLY_DIRECT, Kind.SLICED_HEAP}};
        for (int split : splitPoints(data.length)) {
            for (Kind[] pair : pairs) {
                byte[] first = Arrays.copyOf(data, split);
                byte[] second = Arrays.copyOfRange(data, split, data.length);
                // The buffers outside offset..offset+length are junk that must not be read.
                ByteBuffer[] buffers = {ByteBuffer.wrap(JUNK), pair[0].make(first), Kind.HEAP.make(new byte[0]),
                        pair[1].make(second), ByteBuffer.wrap(JUNK)};
                String where = "split at " + split + " " + pair[0] + "/" + pair[1] + " " + what;
                assertSame(expected, c.classify(buffers, 1, 3), where);
                assertUntouched(buffers[1], first.length, where);
                assertUntouched(buffers[3], second.length, where);
            }
        }
        if (data.length <= 2048) {
            ByteBuffer[] bytes = new ByteBuffer[data.length];
            for (int i = 0; i < data.length; i++) {
                bytes[i] = (i % 2 == 0 ? Kind.HEAP : Kind.READ_ONLY_DIRECT).make(new byte[] {data[i]});
            }
            assertSame(expected, c.classify(bytes, 0, bytes.length), "one byte per buffer " + what);
        }
    }

    /** Every split of small data; for big data the edges, the middle and the inspection limit. */
    private static Set<Integer> splitPoints(int length) {
        Set<Integer> points = new TreeSet<>();
        if (length <= 2048) {
            for (int i = 0; i <= length; i++) {
                points.add(i);
            }
        } else {
            for (int i = 0; i <= 64; i++) {
                points.add(i);
            }
            for (int p : new int[] {length / 2, MAX_INSPECTED - 1, MAX_INSPECTED, MAX_INSPECTED + 1, length - 1, length}) {
                if (p <= length) {
                    points.add(p);
                }
            }
        }
        return points;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // --- HTTP/1.x ---

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE"})
    void safeMethodsAreSafe(String method) {
        assertSafe(method + HEAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "CONNECT", "PRI", "PROPFIND"})
    void otherMethodsAreNotSafe(String method) {
        assertNotSafe(method + HEAD);
    }

    @Test
    void connectIsNotSafe() {
        assertNotSafe("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    }

    @Test
    void theMethodSetIsConfigurable() {
        FirstWriteClassifier onlyGet = new FirstWriteClassifier(Set.of("GET"));
        assertVerdict(REPLAY_SAFE, onlyGet, bytes("GET" + HEAD));
        assertVerdict(NOT_REPLAY_SAFE, onlyGet, bytes("HEAD" + HEAD));
        FirstWriteClassifier withPropfind = new FirstWriteClassifier(Set.of("GET", "PROPFIND"));
        assertVerdict(REPLAY_SAFE, withPropfind, bytes("PROPFIND" + HEAD));
        assertVerdict(NOT_REPLAY_SAFE, withPropfind, bytes("OPTIONS" + HEAD));
        FirstWriteClassifier none = new FirstWriteClassifier(Set.of());
        assertVerdict(NOT_REPLAY_SAFE, none, bytes("GET" + HEAD));
    }

    @Test
    void methodsAreCaseSensitive() {
        assertNotSafe("get" + HEAD);
        assertNotSafe("Get" + HEAD);
        assertNotSafe("head" + HEAD);
    }

    @Test
    void theMethodMustBeWholeAndFollowedByOneSpace() {
        assertNotSafe("GETX" + HEAD);
        assertNotSafe("XGET" + HEAD);
        assertNotSafe("GET " + HEAD);
        assertNotSafe("GET\t/ HTTP/1.1\r\n\r\n");
        assertNotSafe(" GET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void http10IsSafe() {
        assertSafe("GET / HTTP/1.0\r\n\r\n");
        assertSafe("HEAD /x HTTP/1.0\r\nUser-Agent: old\r\n\r\n");
    }

    @Test
    void otherVersionsAreNotSafe() {
        assertNotSafe("GET / HTTP/1.2\r\n\r\n");
        assertNotSafe("GET / HTTP/2.0\r\n\r\n");
        assertNotSafe("GET / http/1.1\r\n\r\n");
        assertNotSafe("GET /\r\n");
        assertNotSafe("GET / HTTP/1.1 \r\n\r\n");
    }

    @Test
    void badRequestTargetsAreNotSafe() {
        assertNotSafe("GET /a b HTTP/1.1\r\n\r\n");
        assertNotSafe("GET \u0001 HTTP/1.1\r\n\r\n");
        assertNotSafe("GET /caf\u00e9 HTTP/1.1\r\n\r\n");
        assertNotSafe("GET /\u007f HTTP/1.1\r\n\r\n");
        assertNotSafe("GET  HTTP/1.1\r\n\r\n");
    }

    @Test
    void aNonZeroContentLengthIsNotSafe() {
        assertNotSafe("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n");
    }

    @Test
    void aZeroContentLengthIsSafe() {
        assertSafe("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nContent-Length:0\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nContent-Length: \t0 \t\r\n\r\n");
    }

    @Test
    void aContentLengthOtherThanOneZeroIsNotSafe() {
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 00\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 0, 0\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 0 5\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length:\r\n\r\n");
    }

    @Test
    void transferEncodingIsNotSafe() {
        assertNotSafe("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n");
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertNotSafe("GET / HTTP/1.1\r\ncontent-length: 5\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nCONTENT-LENGTH: 5\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\ncOnTeNt-LeNgTh: 7\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nTRANSFER-encoding: chunked\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nCONTENT-length: 0\r\n\r\n");
    }

    @Test
    void lookalikeHeaderNamesAreSafe() {
        assertSafe("GET / HTTP/1.1\r\nContent-Lengths: 5\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nX-Content-Length: 5\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nTransfer-Encodings: chunked\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nContent-Type: text/plain\r\nTE: trailers\r\n\r\n");
        assertSafe("GET / HTTP/1.1\r\nX: Content-Length: 5\r\n\r\n");
    }

    @Test
    void malformedHeaderLinesAreNotSafe() {
        // Servers that accept these leniently could read a body announcement in them.
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length:\r\n 5\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nX: a\r\n\tTransfer-Encoding: chunked\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nNoColon\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\n: empty name\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nX: a\r\r\n\r\n");
    }

    @Test
    void headerValuesMayHoldObsText() {
        assertSafe("GET / HTTP/1.1\r\nX-Name: caf\u00e9\r\n\r\n");
    }

    @Test
    void bareLineFeedsAreNotSafe() {
        assertNotSafe("GET / HTTP/1.1\nHost: x\n\n");
        assertNotSafe("GET / HTTP/1.1\r\nHost: x\n\r\n");
        assertNotSafe("GET / HTTP/1.1\r\nHost: x\r\n\n");
        assertNotSafe("GET / HTTP/1.1\r\nHost: x\r\n\rXGET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void pipelinedSafeRequestsAreSafe() {
        assertSafe("GET" + HEAD + "GET" + HEAD);
        assertSafe("GET /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.0\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    void aPipelinedUnsafeRequestIsNotSafe() {
        assertNotSafe("GET" + HEAD + "POST" + HEAD);
        assertNotSafe("GET" + HEAD + "GET" + HEAD + "DELETE" + HEAD);
        assertNotSafe("GET" + HEAD + "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
    }

    @Test
    void partialHeadsWithASafeMethodAreSafe() {
        assertSafe("GET ");
        assertSafe("GET /");
        assertSafe("GET /a ");
        assertSafe("GET /a HTTP/1.");
        assertSafe("GET /a HTTP/1.1");
        assertSafe("GET /a HTTP/1.1\r");
        assertSafe("GET /a HTTP/1.1\r\nHost: x\r\n");
        assertSafe("GET /a HTTP/1.1\r\nHo");
        assertSafe("GET /a HTTP/1.1\r\nContent-Len");
        assertSafe("GET /a HTTP/1.1\r\nHost: x\r\n\r");
        assertSafe("GET /a HTTP/1.1\r\nContent-Length: 0\r");
        assertSafe("GET" + HEAD + "GET /b");
    }

    @Test
    void headsTooShortToTellAreNotSafe() {
        assertNotSafe("GE");
        assertNotSafe("GET");
        assertNotSafe("OPTIONS");
        assertNotSafe("GET" + HEAD + "GE");
        assertNotSafe("GET" + HEAD + "GET");
    }

    @Test
    void partialHeadsShowingABodyAreNotSafe() {
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 5");
        // The value may go on ("05", "0, 5"): not known to be 0 until the line ends.
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length: 0");
        assertNotSafe("GET / HTTP/1.1\r\nContent-Length:");
        assertNotSafe("GET / HTTP/1.1\r\nTransfer-Encoding:");
        assertNotSafe("GET / HTTP/1.1\r\nTransfer-Encoding: chu");
    }

    @Test
    void garbageAfterAHeadIsNotSafe() {
        assertNotSafe("GET" + HEAD + "\r\n");
        assertNotSafe("GET" + HEAD + "hello world");
        assertNotSafe("GET" + HEAD + "\u0000");
    }

    @Test
    void aWriteLongerThanWhatIsInspectedIsNotSafe() {
        // Loopback SYNs carry up to 64 KB: bytes past the inspected 16 KiB could be a POST.
        String bigHead = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(20000) + "\r\n\r\n";
        assertNotSafe(bigHead + "POST" + HEAD);
        assertNotSafe(bigHead);
        String fits = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(MAX_INSPECTED - 27) + "\r\n\r\n";
        assertEquals(MAX_INSPECTED, fits.length());
        assertSafe(fits);
        assertNotSafe(fits + "G");
        String smallHead = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(1000) + "\r\n\r\n";
        assertNotSafe(smallHead + "POST" + HEAD);
    }

    @Test
    void aHugeDirectBufferIsNeverSafeAndNeverMoved() {
        ByteBuffer huge = ByteBuffer.allocateDirect(4 << 20);
        huge.put(bytes("GET / HTTP/1.1\r\nX: ")).position(0).limit(huge.capacity() - 1);
        for (int i = 19; i < MAX_INSPECTED; i++) {
            huge.put(i, (byte) 'a');
        }
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(huge));
        huge.limit(MAX_INSPECTED);
        assertSame(REPLAY_SAFE, DEFAULT.classify(huge));
        huge.limit(huge.capacity() - 1);
        assertEquals(0, huge.position());
        assertEquals(huge.capacity() - 1, huge.limit());
    }

    // --- anything else, and arguments ---

    @Test
    void binaryJunkIsNotSafe() {
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, random);
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, new byte[64]);
        assertNotSafe("SSH-2.0-OpenSSH_9.6\r\n");
    }

    @Test
    void emptyIsNotSafe() {
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, new byte[0]);
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[0], 0, 0));
        ByteBuffer[] empties = {ByteBuffer.allocate(0), ByteBuffer.allocateDirect(8).limit(0)};
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(empties, 0, 2));
        ByteBuffer[] outsideTheRange = {ByteBuffer.wrap(bytes("GET" + HEAD))};
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(outsideTheRange, 1, 0));
    }

    @Test
    void oneByteIsNotSafe() {
        assertNotSafe("G");
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, new byte[] {0x16});
    }

    @Test
    void argumentsTheWriteWouldRejectAreNotSafe() {
        byte[] get = bytes("GET" + HEAD);
        ByteBuffer buffer = ByteBuffer.wrap(get);
        assertSame(REPLAY_SAFE, DEFAULT.classify(get, 0, get.length)); // the control
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(get, -1, get.length));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(get, 1, get.length));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(get, 0, -1));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify((byte[]) null, 0, 0));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify((ByteBuffer) null));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify((ByteBuffer[]) null, 0, 0));
        assertSame(REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[] {buffer}, 0, 1)); // the control
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[] {buffer}, 0, 2));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[] {buffer}, -1, 1));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[] {buffer, null}, 0, 2));
    }

    @Test
    void theConstructorRefusesNonTokens() {
        for (String bad : new String[] {"", "G T", "GET ", "G\u00c9T", "GET\r\n", "GET:"}) {
            assertThrows(IllegalArgumentException.class, () -> new FirstWriteClassifier(Set.of(bad)), bad);
        }
    }

    @Test
    void verdictsCarryAReason() {
        assertEquals("replay-safe", REPLAY_SAFE.reason());
        assertEquals("not replay-safe", NOT_REPLAY_SAFE.reason());
    }

    // --- TLS ---

    private static byte[] clientHelloCache;

    /** A ClientHello as the JDK really sends it (TLS 1.3 capable), from an SSLEngine. */
    private static byte[] clientHello() throws Exception {
        if (clientHelloCache == null) {
            clientHelloCache = clientHello(null);
        }
        return clientHelloCache.clone();
    }

    private static byte[] clientHello(String protocol) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("x", 443);
        engine.setUseClientMode(true);
        if (protocol != null) {
            engine.setEnabledProtocols(new String[] {protocol});
        }
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertEquals(0x16, hello[0], "a handshake record");
        assertEquals(0x01, hello[5], "a ClientHello");
        return hello;
    }

    private static byte[] tlsRecord(int type, int version, byte[] body) {
        byte[] header = {(byte) type, (byte) (version >> 8), (byte) version,
                (byte) (body.length >> 8), (byte) body.length};
        return concat(header, body);
    }

    @Test
    void aRealClientHelloIsSafe() throws Exception {
        assertVerdict(REPLAY_SAFE, DEFAULT, clientHello());
        byte[] tls12 = clientHello("TLSv1.2");
        assertEquals(0x0303, (tls12[1] << 8) | tls12[2], "TLS 1.2 only: record version 3.3");
        assertVerdict(REPLAY_SAFE, DEFAULT, tls12);
    }

    @Test
    void aClientHelloInTwoRecordsIsSafe() throws Exception {
        byte[] hello = clientHello();
        byte[] body = Arrays.copyOfRange(hello, 5, hello.length);
        int half = body.length / 2;
        byte[] twoRecords = concat(tlsRecord(0x16, 0x0301, Arrays.copyOf(body, half)),
                tlsRecord(0x16, 0x0303, Arrays.copyOfRange(body, half, body.length)));
        assertVerdict(REPLAY_SAFE, DEFAULT, twoRecords);
        // The second record's type is found by the first one's length: make it wrong there.
        twoRecords[5 + half] = 0x17;
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, twoRecords);
    }

    @Test
    void earlyDataOrChangeCipherSpecAfterTheHelloIsNotSafe() throws Exception {
        byte[] hello = clientHello();
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(hello, tlsRecord(0x17, 0x0303, new byte[] {1, 2, 3, 4, 5})));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(hello, new byte[] {0x17}));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(hello, tlsRecord(0x14, 0x0303, new byte[] {1})));
    }

    @Test
    void aPartialClientHelloIsSafe() throws Exception {
        byte[] hello = clientHello();
        assertVerdict(REPLAY_SAFE, DEFAULT, Arrays.copyOf(hello, 6));
        assertVerdict(REPLAY_SAFE, DEFAULT, Arrays.copyOf(hello, 100));
        assertVerdict(REPLAY_SAFE, DEFAULT, concat(hello, new byte[] {0x16, 0x03}));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(hello, new byte[] {0x16, 0x03, 0x00}));
    }

    @Test
    void fewerThanSixBytesAreNotSafe() throws Exception {
        byte[] hello = clientHello();
        for (int n = 1; n < 6; n++) {
            assertVerdict(NOT_REPLAY_SAFE, DEFAULT, Arrays.copyOf(hello, n));
        }
    }

    @Test
    void aServerHelloIsNotSafe() throws Exception {
        byte[] hello = clientHello();
        hello[5] = 0x02;
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, hello);
    }

    @Test
    void anAlertIsNotSafe() {
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, tlsRecord(0x15, 0x0303, new byte[] {0x01, 0x00}));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, tlsRecord(0x15, 0x0303, new byte[] {0x02, 0x28}));
    }

    @Test
    void otherRecordVersionsAreNotSafe() throws Exception {
        for (int version : new int[] {0x0300, 0x0304, 0x0203, 0x0001}) {
            byte[] hello = clientHello();
            hello[1] = (byte) (version >> 8);
            hello[2] = (byte) version;
            assertVerdict(NOT_REPLAY_SAFE, DEFAULT, hello);
        }
    }

    @Test
    void impossibleRecordLengthsAreNotSafe() throws Exception {
        byte[] hello = clientHello();
        hello[3] = 0x40;
        hello[4] = 0x01; // 2^14 + 1
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, hello);
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(clientHello(), tlsRecord(0x16, 0x0303, new byte[0])));
    }

    // --- HTTP/2 with prior knowledge ---

    private static final byte[] PREFACE = bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    private static byte[] frame(int type, int flags, int stream, int... payload) {
        int n = payload.length;
        byte[] frame = Arrays.copyOf(new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n, (byte) type,
                (byte) flags, (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream}, 9 + n);
        for (int i = 0; i < n; i++) {
            frame[9 + i] = (byte) payload[i];
        }
        return frame;
    }

    /** HEADER_TABLE_SIZE = 0x10000 and ENABLE_PUSH = 1: full of bytes 0x01 (HEADERS) if misread. */
    private static final byte[] SETTINGS = frame(0x4, 0, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1);
    private static final byte[] WINDOW_UPDATE = frame(0x8, 0, 0, 0, 0x0f, 0, 1);
    private static final byte[] PING = frame(0x6, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    private static final byte[] PRIORITY = frame(0x2, 0, 3, 0, 0, 0, 1, 15);
    private static final byte[] SETTINGS_ACK = frame(0x4, 1, 0);
    private static final byte[] HEADERS = frame(0x1, 0x5, 1, 0x82, 0x86, 0x84);
    private static final byte[] DATA = frame(0x0, 0x1, 1, 1, 2, 3);

    @Test
    void thePrefaceAloneIsSafe() {
        assertVerdict(REPLAY_SAFE, DEFAULT, PREFACE);
    }

    @Test
    void thePrefaceWithSettingsFramesIsSafe() {
        assertVerdict(REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, WINDOW_UPDATE));
        assertVerdict(REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, WINDOW_UPDATE, PING, PRIORITY, SETTINGS_ACK));
    }

    @Test
    void aRequestFrameAfterThePrefaceIsNotSafe() {
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, WINDOW_UPDATE, HEADERS));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, HEADERS));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, DATA));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, frame(0x7, 0, 0, new int[8]))); // GOAWAY
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, frame(0x3, 0, 1, new int[4]))); // RST_STREAM
    }

    @Test
    void aTruncatedPrefaceIsNotSafe() {
        for (int n : new int[] {1, 4, 10, 23}) {
            assertVerdict(NOT_REPLAY_SAFE, DEFAULT, Arrays.copyOf(PREFACE, n));
        }
        byte[] wrong = PREFACE.clone();
        wrong[22] = '\n';
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(wrong, SETTINGS));
    }

    @Test
    void thePrefaceWithATruncatedSettingsFrameIsSafe() {
        for (int n = 1; n < SETTINGS.length; n++) {
            assertVerdict(REPLAY_SAFE, DEFAULT, concat(PREFACE, Arrays.copyOf(SETTINGS, n)));
        }
    }

    @Test
    void aTruncatedRequestFrameIsNotSafeOnceItsTypeShows() {
        assertVerdict(REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, Arrays.copyOf(HEADERS, 3)));
        assertVerdict(NOT_REPLAY_SAFE, DEFAULT, concat(PREFACE, SETTINGS, Arrays.copyOf(HEADERS, 4)));
    }

    // --- gathering writes, spelled out (assertVerdict also tries every split) ---

    @Test
    void gatheringWritesSplitAtAwkwardPlaces() throws Exception {
        ByteBuffer[] get = {ByteBuffer.wrap(bytes("POST / HTTP/1.1\r\n\r\n")), ByteBuffer.wrap(bytes("G")),
                ByteBuffer.allocateDirect(0), direct("ET / HTTP/1.1\r\nHost: x\r\n\r"), ByteBuffer.wrap(bytes("\n"))};
        assertSame(REPLAY_SAFE, DEFAULT.classify(get, 1, 4));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(get, 0, 5), "the POST before is in range");

        byte[] hello = clientHello();
        ByteBuffer[] tls = {direct(hello, 0, 2), ByteBuffer.wrap(hello, 2, 4).asReadOnlyBuffer(),
                ByteBuffer.wrap(hello, 6, hello.length - 6), direct(new byte[] {0x17, 0x03}, 0, 2)};
        assertSame(REPLAY_SAFE, DEFAULT.classify(tls, 0, 3));
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(tls, 0, 4), "early data after the hello");

        byte[] h2 = concat(PREFACE, SETTINGS, HEADERS);
        int headers = PREFACE.length + SETTINGS.length;
        ByteBuffer[] frames = {direct(h2, 0, 20), ByteBuffer.wrap(h2, 20, headers + 2 - 20),
                direct(h2, headers + 2, 2), ByteBuffer.wrap(h2, headers + 4, h2.length - headers - 4)};
        assertSame(REPLAY_SAFE, DEFAULT.classify(frames, 0, 2), "ends before the HEADERS type");
        assertSame(NOT_REPLAY_SAFE, DEFAULT.classify(frames, 0, 3));
    }

    @Test
    void buffersAreLeftAsTheyWere() {
        byte[] get = bytes("xxGET" + HEAD + "yy");
        ByteBuffer heap = ByteBuffer.wrap(get, 2, get.length - 4);
        ByteBuffer direct = ByteBuffer.allocateDirect(get.length).put(get).position(2).limit(get.length - 2);
        for (ByteBuffer b : new ByteBuffer[] {heap, direct, heap.asReadOnlyBuffer(), direct.asReadOnlyBuffer()}) {
            b.mark();
            assertSame(REPLAY_SAFE, DEFAULT.classify(b));
            assertSame(REPLAY_SAFE, DEFAULT.classify(new ByteBuffer[] {b}, 0, 1));
            assertEquals(2, b.position());
            assertEquals(get.length - 2, b.limit());
            b.position(3).reset();
            assertEquals(2, b.position());
        }
    }

    /** A direct buffer over bytes[offset, offset + length), with position 0 and limit length. */
    private static ByteBuffer direct(byte[] bytes, int offset, int length) {
        return ByteBuffer.allocateDirect(length).put(bytes, offset, length).flip();
    }

    private static ByteBuffer direct(String s) {
        byte[] b = bytes(s);
        return direct(b, 0, b.length);
    }
}
