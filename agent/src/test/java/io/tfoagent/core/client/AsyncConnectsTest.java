package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.options.LogTarget;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.core.policy.HostPattern;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * AsynchronousSocketChannel's connects against a fake kernel ({@link FakeKernel}), in the order the
 * JDK makes its calls: implConnect's entry, connect(), setConnected() (then the completion handler,
 * which may write at once), implConnect's end. Its reads and writes are the client core's, called
 * as the advice around IOUtil's asynchronous overloads calls them (a call never made again).
 */
class AsyncConnectsTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final String POST = "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx";
    private static final InetSocketAddress SERVER = new InetSocketAddress("198.18.0.2", 80);

    private final FakeKernel kernel = new FakeKernel();
    private final HeldIdleOpener timer = new HeldIdleOpener();
    private final ClientFastOpen client = new ClientFastOpen(
            new DestinationPolicy(List.of(HostPattern.parse("198.18.0.0/15")), List.of(), List.of()),
            new FirstWriteClassifier(FirstWriteClassifier.DEFAULT_HTTP_METHODS), new ClientTimings(5, 1_000, 4_000),
            AgentLog.open(LogTarget.OFF), kernel, new AtomicInteger(), timer, System::nanoTime, false);
    private final AsyncConnects connects = new AsyncConnects(client);
    private final FileDescriptor socket = new FileDescriptor();

    AsyncConnectsTest() {
        client.weavingDone();
    }

    @Test
    void aHandlerThatWritesBeforeImplConnectReturnsMeetsTheGate() throws IOException {
        kernel.deferred(7);
        connects.beforeConnect(socket, 7, SERVER);
        assertTrue(kernel.at(7).fastOpenConnect);
        connects.connected(socket, 7, SERVER); // setConnected(): the kernel deferred the SYN
        write(POST); // the completion handler, run directly inside implConnect
        connects.connectReturned(socket, 7, SERVER);
        assertTrue(kernel.at(7).synSent);
        assertNull(kernel.at(7).synData, "classified: a POST never rides in the SYN");
        assertEquals(1, client.counters().notReplaySafe.sum());
    }

    @Test
    void aFirstWriteThatIsNotReplaySafeGoesAfterABareSyn() throws IOException {
        connectDeferred(7);
        write(POST);
        assertTrue(kernel.at(7).synSent);
        assertNull(kernel.at(7).synData, "a POST never rides in the SYN");
        assertEquals(POST, kernel.at(7).stream.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aReadBeforeAnyWriteOpensTheConnection() throws IOException {
        connectDeferred(7);
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        assertTrue(kernel.at(7).synSent, "the bare SYN went out: a server that speaks first is heard");
        assertNull(client.afterIo(c, null, false));
    }

    @Test
    void aDeferredChannelNobodyWritesToIsOpenedByTheIdleTimer() throws IOException {
        connectDeferred(7);
        assertEquals(1, timer.pending(), "asynchronous channels never block: the idle timer is set");
        timer.runPending();
        assertTrue(kernel.at(7).synSent);
        assertNull(kernel.at(7).synData);
    }

    @Test
    void aRefusedDestinationFailsTheNextReadWithAConnectException() throws IOException {
        connectDeferred(7);
        write(GET);
        kernel.refused(7);
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        Throwable instead = client.afterIo(c, new IOException("Connection refused"), false);
        assertInstanceOf(ConnectException.class, instead, "what the connect's Future would have failed with");
        assertNull(client.find(socket, 7), "let go once reported");
    }

    @Test
    void aConnectThatDidNotConnectAtOnceIsNotFollowedAndLeavesNothingBehind() throws IOException {
        kernel.deferred(7);
        connects.beforeConnect(socket, 7, SERVER);
        connects.connectReturned(socket, 7, SERVER); // pending: no cookie, a full handshake under way
        assertEquals(1, client.counters().cookieMiss.sum());
        kernel.connectedNormally(7);
        connects.connected(socket, 7, SERVER); // finishConnect's setConnected, on a pool thread
        assertNull(client.find(socket, 7), "implConnect's end took what beforeConnect did");
    }

    @Test
    void closeLetsTheChannelGo() throws IOException {
        connectDeferred(7);
        client.beforeClose(socket, 7);
        kernel.jdkClose(7);
        assertNull(client.find(socket, 7));
        assertEquals(1, client.counters().closedUnwritten.sum());
    }

    @Test
    void aDeniedDestinationIsLeftAlone() throws IOException {
        kernel.deferred(7);
        InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.1", 80);
        connects.beforeConnect(socket, 7, elsewhere);
        connects.connected(socket, 7, elsewhere);
        connects.connectReturned(socket, 7, elsewhere);
        assertTrue(!kernel.at(7).fastOpenConnect && client.find(socket, 7) == null);
    }

    private void connectDeferred(int fd) throws IOException {
        kernel.deferred(fd);
        connects.beforeConnect(socket, fd, SERVER);
        connects.connected(socket, fd, SERVER);
        connects.connectReturned(socket, fd, SERVER);
        assertNotNull(client.find(socket, fd), "followed from setConnected()");
    }

    /** As the advice around IOUtil.write does: the gate, the JDK's write, the outcome. */
    private void write(String text) throws IOException {
        TfoConnection c = client.find(socket, 7);
        TfoConnection token = c == null ? null
                : client.beforeWrite(c, FirstBytes.of(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length()));
        kernel.jdkWrite(7, text);
        if (token != null) {
            assertNull(client.afterIo(token, null, false));
        }
    }
}
