package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.shaded.io.netty.channel.epoll.EpollSocketChannelConfig;
import io.tfoagent.core.client.shaded.io.netty.channel.epoll.LinuxSocket;
import io.tfoagent.core.options.LogTarget;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.core.policy.HostPattern;
import io.tfoagent.shim.NativeMemory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Netty epoll's connects against a fake kernel ({@link FakeKernel}), in the order Netty makes its
 * calls: {@code Socket.connect}'s entry, the JNI connect, its exit; then the native writes and reads
 * (each gated as its advice gates it, never made again) with their bytes where Netty keeps them (a
 * direct buffer's range, native memory, iovecs), and {@code FileDescriptor.close}. The sockets are
 * stand-ins under a shading prefix, whose {@code equals} compares numbers as Netty's does.
 */
class NettyEpollConnectsTest {
    private static final String PREFIX = "io.tfoagent.core.client.shaded.";
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final String POST = "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx";
    private static final InetSocketAddress SERVER = new InetSocketAddress("198.18.0.2", 80);

    private final FakeKernel kernel = new FakeKernel();
    private final HeldIdleOpener timer = new HeldIdleOpener();
    private final DestinationPolicy policy =
            new DestinationPolicy(List.of(HostPattern.parse("198.18.0.0/15")), List.of(), List.of());
    private final ClientFastOpen client = new ClientFastOpen(policy,
            new FirstWriteClassifier(FirstWriteClassifier.DEFAULT_HTTP_METHODS), new ClientTimings(5, 1_000, 4_000),
            AgentLog.open(LogTarget.OFF), kernel, new AtomicInteger(), timer, System::nanoTime, false);
    private final NotCovered notCovered = new NotCovered(AgentLog.open(LogTarget.OFF), policy, false);
    private final NettyEpollCoverage coverage = new NettyEpollCoverage();
    private final NettyEpollConnects connects = new NettyEpollConnects(client, kernel, notCovered, coverage, AgentLog.open(LogTarget.OFF));
    private final LinuxSocket socket = new LinuxSocket(7);

    NettyEpollConnectsTest() {
        coverage.weavingDone();
        client.weavingDone();
        for (String woven : new String[] {"io/netty/channel/unix/FileDescriptor", "io/netty/channel/unix/Socket",
                "io/netty/channel/epoll/LinuxSocket", "io/netty/channel/epoll/Native"}) {
            coverage.woven(LinuxSocket.class.getClassLoader(), PREFIX.replace('.', '/') + woven);
        }
    }

    @Test
    void aReplaySafeFirstWriteInADirectBufferRidesInTheSyn() throws IOException {
        connectDeferred(socket, 7);
        ByteBuffer direct = direct("xx" + GET + "yy");
        write(socket, 7, NettyBytes.range(direct, 2, 2 + GET.length()), GET); // write(buf, pos, limit)
        assertEquals(GET, kernel.at(7).synDataText());
        assertEquals(0, direct.position(), "Netty's buffer is not moved");
    }

    @Test
    void aPostAtANativeAddressGoesAfterABareSyn() throws IOException {
        connectDeferred(socket, 7);
        long address = NativeMemory.addressOf(direct(POST));
        write(socket, 7, NettyBytes.range(address, 0, POST.length()), POST); // writeAddress(address, pos, limit)
        assertTrue(kernel.at(7).synSent);
        assertNull(kernel.at(7).synData, "a POST never rides in the SYN");
        assertEquals(1, client.counters().notReplaySafe.sum());
    }

    @Test
    void iovecsAreClassifiedWhereTheyPoint() throws IOException {
        connectDeferred(socket, 7);
        String head = GET.substring(0, 16);
        String rest = GET.substring(16);
        write(socket, 7, NettyBytes.iovecs(iovecs(direct(head), direct(rest)), 2), GET); // writevAddresses
        assertEquals(GET, kernel.at(7).synDataText(), "a GET split over two iovecs is still a GET");
        assertEquals(1, client.counters().synData.sum());
    }

    @Test
    void aPostSplitOverIovecsGoesAfterABareSyn() throws IOException {
        connectDeferred(socket, 7);
        write(socket, 7, NettyBytes.iovecs(iovecs(direct("PO"), direct(POST.substring(2))), 2), POST);
        assertNull(kernel.at(7).synData);
    }

    @Test
    void aSpliceOrSendfileIsAnUnseenWriteAndGoesAfterABareSyn() throws IOException {
        connectDeferred(socket, 7);
        TfoConnection c = client.findByNumber(7); // splice names the socket by number
        assertSame(client.find(socket, 7), c);
        assertNull(client.afterIo(client.beforeWrite(c, FirstBytes.of(null, 0, 0)), null, false));
        assertTrue(kernel.at(7).synSent);
        assertNull(kernel.at(7).synData);
    }

    @Test
    void aDeferredSocketNobodyWritesToIsOpenedByTheIdleTimer() throws IOException {
        connectDeferred(socket, 7);
        assertEquals(1, timer.pending(), "Netty's event loop never blocks: the idle timer is set");
        timer.runPending();
        assertTrue(kernel.at(7).synSent, "a server that speaks first is heard: epoll reports its bytes");
    }

    @Test
    void aReadBeforeAnyWriteOpensTheConnection() throws IOException {
        connectDeferred(socket, 7);
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        assertTrue(kernel.at(7).synSent);
        assertNull(client.afterIo(c, null, false));
    }

    @Test
    void aRefusedDestinationFailsTheNextReadWithAConnectException() throws IOException {
        refusedAfterAGetInTheSyn();
    }

    /**
     * A middlebox resets SYNs with data: epoll says readable, Netty's read fails. Its call is made
     * again (CallAgainAdvice) on the same socket, connected again without TFO, the GET sent again
     * first; Netty's read then finds nothing yet, and epoll wakes it when the answer comes.
     */
    @Test
    void aGetWhoseSynDataIsResetIsSentAgainOnTheReconnectedSocketAndTheReadMadeAgain() throws IOException {
        connectDeferred(socket, 7);
        write(socket, 7, NettyBytes.range(direct(GET), 0, GET.length()), GET);
        kernel.synDataResetThenSilence(7);
        kernel.whileWaiting(() -> kernel.connectedNormally(7)); // the plain SYN's answer, a round trip later
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        Throwable instead = client.afterIo(c, new IOException("readAddress(..) failed: Connection refused"), true);
        assertSame(ClientFastOpen.CALL_AGAIN, instead, "Netty's read is made again, not failed");
        assertEquals(1, kernel.at(7).reconnects);
        assertTrue(kernel.awaits() >= 1, "the event loop waited for that handshake (on Netty's socket)");
        assertEquals(GET, kernel.at(7).stream.toString(StandardCharsets.ISO_8859_1), "the GET went again");
        assertEquals(1, client.counters().reconnected.sum());
        assertNull(client.find(socket, 7), "settled: the call made again is Netty's own");
    }

    @Test
    void aFirstWriteThatTookPartOfItsBytesIsNotSentAgain() throws IOException {
        connectDeferred(socket, 7);
        TfoConnection token = client.beforeWrite(client.find(socket, 7), NettyBytes.range(direct(GET), 0,
                GET.length()));
        kernel.jdkWrite(7, GET.substring(0, 10));
        assertNull(client.afterIo(token, null, true, 10)); // Netty writes the rest itself later
        kernel.synDataReset(7);
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        assertInstanceOf(ConnectException.class, client.afterIo(c, new IOException("Connection refused"), true),
                "what rode is not known whole: the one late failure, as without a reconnect");
        assertEquals(0, kernel.at(7).reconnects);
    }

    @Test
    void aResetAfterTheHandshakeStaysWhatItIs() throws IOException {
        connectDeferred(socket, 7);
        write(socket, 7, NettyBytes.range(direct(GET), 0, GET.length()), GET);
        kernel.synAcked(7, true);
        TfoConnection token = client.beforeRead(client.find(socket, 7)); // epoll says readable: the answer
        assertNotNull(token, "still opening when the read comes: its outcome is looked at");
        kernel.reset(7);
        assertNull(client.afterIo(token, new IOException("Connection reset by peer"), false),
                "bytes_acked > 0: the reset the application sees, not a connect failure");
    }

    @Test
    void aClosedSocketsNumberReusedByANewSocketIsNeverConfusedWithIt() throws IOException {
        connectDeferred(socket, 7);
        write(socket, 7, NettyBytes.range(direct(GET), 0, GET.length()), GET);
        kernel.synAcked(7, true);
        connects.beforeClose(socket, 7);
        kernel.jdkClose(7);
        LinuxSocket next = new LinuxSocket(7); // the kernel reuses the number at once
        assertTrue(next.equals(socket), "Netty's equals compares numbers: the agent must not use it");
        connectDeferred(next, 7);
        assertNull(client.find(socket, 7), "a write through the closed object finds nothing");
        connects.beforeClose(socket, 7); // a second close of the closed object
        assertNotNull(client.find(next, 7), "and leaves the new socket followed");
    }

    @Test
    void aCopyWithAClassLeftUnwovenIsOnlyNamed() {
        NettyEpollCoverage allButNative = new NettyEpollCoverage();
        for (String woven : new String[] {"io/netty/channel/unix/FileDescriptor", "io/netty/channel/unix/Socket",
                "io/netty/channel/epoll/LinuxSocket"}) {
            allButNative.woven(LinuxSocket.class.getClassLoader(), PREFIX.replace('.', '/') + woven);
        }
        allButNative.weavingDone(); // Native (its splice) stays unwoven: a first write could pass ungated
        NettyEpollConnects partly = new NettyEpollConnects(client, kernel, notCovered, allButNative,
                AgentLog.open(LogTarget.OFF));
        kernel.fresh(7);
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, channelConnect(partly, socket, 7, SERVER));
        assertFalse(kernel.at(7).fastOpenConnect);
        assertEquals(Map.of("Netty epoll shaded under io.tfoagent.core.client.shaded client connects", 1L),
                notCovered.snapshot());
    }

    @Test
    void aConnectDuringTheWarmUpGoesPlainAndIsNotCalledUncovered() {
        NettyEpollConnects warming = new NettyEpollConnects(client, kernel, notCovered,
                new NettyEpollCoverage(), AgentLog.open(LogTarget.OFF));
        kernel.fresh(7);
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, channelConnect(warming, socket, 7, SERVER));
        assertFalse(kernel.at(7).fastOpenConnect);
        assertTrue(notCovered.snapshot().isEmpty(), "its classes may be woven only once the warm-up ends");
    }

    @Test
    void aChannelWhoseApplicationSetNettysOwnFastOpenIsLeftAsItAsked() {
        kernel.fresh(7);
        connects.channelConnecting(new EpollSocketChannelConfig(true)); // nothing buffered: Netty connects plainly
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, connects.beforeConnect(socket, LinuxSocket.class, 7, SERVER));
        connects.channelConnected();
        assertFalse(kernel.at(7).fastOpenConnect, "no TFO the application did not ask for");
        assertTrue(notCovered.snapshot().isEmpty(), "the application's choice, not a path the agent misses");
        kernel.fresh(8);
        assertEquals(ClientFastOpen.CONNECT_FAST_OPEN, channelConnect(connects, new LinuxSocket(8), 8, SERVER),
                "the next channel, without the option, gets the agent's");
    }

    @Test
    void aDatagramSocketIsLeftAlone() {
        // No channel announced it, and no TCP_INFO (the fake has no such socket, as a UDP socket has none).
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, connects.beforeConnect(socket, LinuxSocket.class, 7, SERVER));
        assertTrue(notCovered.snapshot().isEmpty());
    }

    @Test
    void aTcpConnectNoWovenChannelAnnouncedIsOnlyNamed() {
        kernel.fresh(7); // EpollSocketChannel left unwoven: Netty's own option would be out of sight
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, connects.beforeConnect(socket, LinuxSocket.class, 7, SERVER));
        assertFalse(kernel.at(7).fastOpenConnect);
        assertEquals(Map.of("Netty epoll shaded under io.tfoagent.core.client.shaded client connects", 1L),
                notCovered.snapshot());
    }

    @Test
    void aConnectInProgressIsNotFollowed() throws IOException {
        kernel.fresh(7);
        int how = channelConnect(connects, socket, 7, SERVER);
        boolean connected = kernel.jniConnect(7, false); // no cookie: EINPROGRESS, a full handshake
        connects.afterConnect(socket, 7, SERVER, how, connected, !connected);
        assertNull(client.find(socket, 7));
        assertEquals(1, client.counters().cookieMiss.sum());
    }

    /**
     * After a deferred connect failed, the destination is suspect: its next connects go plain, and
     * the first that opens (heard at finishConnect, from its own socket only) ends that: the SYN
     * data was the trouble, so the destination is backed off.
     */
    @Test
    void aPendingPlainConnectThatOpensIsHeardAtFinishConnect() throws IOException {
        refusedAfterAGetInTheSyn();
        connects.beforeClose(socket, 7);
        kernel.jdkClose(7);

        LinuxSocket plain = new LinuxSocket(8);
        kernel.fresh(8);
        int how = channelConnect(connects, plain, 8, SERVER);
        assertEquals(ClientFastOpen.CONNECT_OBSERVED, how, "suspect: a plain connect tells the truth");
        boolean connected = kernel.jniConnect(8, false);
        connects.afterConnect(plain, 8, SERVER, how, connected, !connected);
        kernel.connectedNormally(8);
        connects.afterFinishConnect(new LinuxSocket(8), 8, true, false); // another object with that number
        kernel.fresh(9);
        assertEquals(ClientFastOpen.CONNECT_OBSERVED, channelConnect(connects, new LinuxSocket(9), 9, SERVER),
                "not this connect's end: nothing heard");
        connects.afterFinishConnect(plain, 8, true, false);
        kernel.fresh(10);
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, channelConnect(connects, new LinuxSocket(10), 10, SERVER),
                "it opened: no longer suspect, backed off since the SYN that failed carried data");
        assertEquals(1, client.counters().backedOff.sum());
    }

    @Test
    void aDeniedDestinationIsLeftAlone() {
        kernel.fresh(7);
        InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.1", 80);
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, channelConnect(connects, socket, 7, elsewhere));
        assertFalse(kernel.at(7).fastOpenConnect);
    }

    @Test
    void anotherTransportsSocketIsOnlyNamed() {
        kernel.fresh(7);
        connects.channelConnecting(new EpollSocketChannelConfig(false));
        assertEquals(ClientFastOpen.CONNECT_UNTOUCHED, connects.beforeConnect(socket, Object.class, 7, SERVER));
        connects.channelConnected();
        assertFalse(coverage.covers(io.tfoagent.core.client.shaded.io.netty.channel.unix.Socket.class));
    }

    /** A GET rode in the SYN of the socket on 7, answered with a RST: the next read fails. */
    private void refusedAfterAGetInTheSyn() throws IOException {
        connectDeferred(socket, 7);
        write(socket, 7, NettyBytes.range(direct(GET), 0, GET.length()), GET);
        kernel.refused(7);
        TfoConnection c = client.beforeRead(client.find(socket, 7));
        Throwable instead = client.afterIo(c, new IOException("recvAddress(..) failed: Connection refused"), false);
        assertInstanceOf(ConnectException.class, instead, "bytes_acked 0: the connect failed");
    }

    /** As EpollSocketChannel.doConnect0 makes it: its announcement around Socket.connect's entry. */
    private static int channelConnect(NettyEpollConnects through, LinuxSocket s, int fd, InetSocketAddress remote) {
        through.channelConnecting(new EpollSocketChannelConfig(false));
        try {
            return through.beforeConnect(s, LinuxSocket.class, fd, remote);
        } finally {
            through.channelConnected();
        }
    }

    private void connectDeferred(LinuxSocket s, int fd) throws IOException {
        kernel.fresh(fd);
        int how = channelConnect(connects, s, fd, SERVER);
        assertEquals(ClientFastOpen.CONNECT_FAST_OPEN, how);
        assertTrue(kernel.at(fd).fastOpenConnect);
        boolean connected = kernel.jniConnect(fd, true);
        connects.afterConnect(s, fd, SERVER, how, connected, !connected);
        assertNotNull(client.find(s, fd), "deferred: followed until its first act");
    }

    /**
     * As the advice around a native write and NettyWriteAgainAdvice do: the gate, Netty's JNI write,
     * the outcome with the count it returned (Netty's buffers never move).
     */
    private void write(Object s, int fd, FirstBytes bytes, String text) throws IOException {
        TfoConnection c = client.find(s, fd);
        TfoConnection token = c == null ? null : client.beforeWrite(c, bytes);
        kernel.jdkWrite(fd, text);
        if (token != null) {
            assertNull(client.afterIo(token, null, true, text.length()));
        }
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
    }

    /** A struct iovec array over {@code buffers}, in native memory as Netty's IovArray makes it. */
    private final List<ByteBuffer> keepAlive = new ArrayList<>();

    private long iovecs(ByteBuffer... buffers) {
        ByteBuffer array = ByteBuffer.allocateDirect(buffers.length * NativeMemory.IOVEC_SIZE)
                .order(ByteOrder.nativeOrder());
        for (ByteBuffer b : buffers) {
            array.putLong(NativeMemory.addressOf(b)).putLong(b.remaining());
            keepAlive.add(b);
        }
        keepAlive.add(array);
        return NativeMemory.addressOf(array);
    }
}
