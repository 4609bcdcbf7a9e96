package io.tfoagent.it.bench;

import static java.lang.invoke.MethodType.methodType;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the client path pays once per deferred connection: {@code FirstWriteClassifier.classify}
 * on the first write. Inputs as applications write them: a ~200-byte HTTP GET head (heap and
 * direct buffer), a real TLS 1.3 ClientHello from the JDK's SSLEngine, a POST head (rejected at
 * its method). Run by {@link OverheadBench}, not by {@code mvn verify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClassifierBench {
    private static final String CLASSIFIER = "io.tfoagent.core.client.FirstWriteClassifier";
    private static final MethodHandle CLASSIFY = AgentCore.method(CLASSIFIER, "classify",
            methodType(AgentCore.type("io.tfoagent.core.client.FirstWriteVerdict"), ByteBuffer.class),
            methodType(Object.class, Object.class, ByteBuffer.class));

    /** A typical client's request head: 200 bytes. */
    static final String GET_HEAD = "GET /api/v1/orders/12345?fields=id,status HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: Java-http-client/17.0.21\r\n"
            + "Accept: application/json\r\n"
            + "Accept-Encoding: gzip\r\n"
            + "Connection: keep-alive\r\n"
            + "X-Request-Id: 4f1c2a\r\n"
            + "\r\n";
    static final String POST_HEAD = "POST /api/v1/orders HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: Java-http-client/17.0.21\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 42\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";

    private Object classifier;
    private ByteBuffer getHeap;
    private ByteBuffer getDirect;
    private ByteBuffer tlsClientHello;
    private ByteBuffer postHeap;

    @Setup
    public void setUp() throws Throwable {
        Class<?> type = AgentCore.type(CLASSIFIER);
        Object methods = type.getField("DEFAULT_HTTP_METHODS").get(null);
        classifier = AgentCore.constructor(CLASSIFIER, methodType(void.class, Set.class)).invoke(methods);
        getHeap = ByteBuffer.wrap(GET_HEAD.getBytes(US_ASCII));
        getDirect = ByteBuffer.allocateDirect(getHeap.remaining()).put(getHeap.duplicate()).flip();
        tlsClientHello = clientHello();
        postHeap = ByteBuffer.wrap(POST_HEAD.getBytes(US_ASCII));
        // Measure the intended paths only: each input must get the verdict it gets in real use.
        expect(getHeap, "REPLAY_SAFE");
        expect(getDirect, "REPLAY_SAFE");
        expect(tlsClientHello, "REPLAY_SAFE");
        expect(postHeap, "NOT_REPLAY_SAFE");
    }

    private void expect(ByteBuffer input, String verdict) throws Throwable {
        Object actual = (Object) CLASSIFY.invokeExact(classifier, input);
        if (!actual.toString().equals(verdict)) {
            throw new IllegalStateException("classifier says " + actual + " for " + input + ", expected " + verdict);
        }
    }

    /** The first flight of a JDK TLS 1.3 client: one handshake record with the ClientHello. */
    static ByteBuffer clientHello() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("api.example.com", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        if (result.bytesProduced() == 0 || out.get(0) != 0x16) {
            throw new IllegalStateException("no ClientHello from SSLEngine: " + result);
        }
        out.flip();
        return ByteBuffer.wrap(java.util.Arrays.copyOf(out.array(), out.limit()));
    }

    @Benchmark
    public Object httpGetHeap() throws Throwable {
        return (Object) CLASSIFY.invokeExact(classifier, getHeap);
    }

    @Benchmark
    public Object httpGetDirect() throws Throwable {
        return (Object) CLASSIFY.invokeExact(classifier, getDirect);
    }

    @Benchmark
    public Object tls13ClientHello() throws Throwable {
        return (Object) CLASSIFY.invokeExact(classifier, tlsClientHello);
    }

    @Benchmark
    public Object httpPostHeap() throws Throwable {
        return (Object) CLASSIFY.invokeExact(classifier, postHeap);
    }

    /** Sizes of the inputs, for the table. */
    static String describeInputs() throws Exception {
        return "GET " + GET_HEAD.length() + " B, POST " + POST_HEAD.length() + " B, ClientHello "
                + clientHello().remaining() + " B";
    }
}
