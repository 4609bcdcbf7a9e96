package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets on loopback, through the real libc calls. */
class LinuxSocketTest {

    @TempDir
    Path tempDir;

    /** The fd behind a JDK channel, the way the agent's bridge reaches it. */
    static int fd(Channel channel) throws ReflectiveOperationException {
        Class<?> c = channel.getClass();
        while (c != null) {
            try {
                Field f = c.getDeclaredField("fdVal");
                f.setAccessible(true);
                return f.getInt(channel);
            } catch (NoSuchFieldException e) {
                c = c.getSuperclass();
            }
        }
        throw new NoSuchFieldException("fdVal in " + channel.getClass());
    }

    private static ServerSocketChannel loopbackListener() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return server;
    }

    @Test
    void loadNativeDoesNotThrow() {
        assertDoesNotThrow(LinuxSocket::loadNative);
    }

    @Test
    void fastOpenQueueLengthIsZeroUntilSetThenWhatWasSet() throws Exception {
        try (ServerSocketChannel server = loopbackListener()) {
            int fd = fd(server);
            assertTrue(fd >= 0);
            assertEquals(0, LinuxSocket.fastOpenQueueLength(fd));
            LinuxSocket.setFastOpen(fd, 16);
            assertEquals(16, LinuxSocket.fastOpenQueueLength(fd));
            LinuxSocket.setFastOpen(fd, 5);
            assertEquals(5, LinuxSocket.fastOpenQueueLength(fd));
        }
    }

    @Test
    void setFastOpenBeforeListenWorksToo() throws Exception {
        // An unbound server channel: the socket exists but is not listening yet (TCP_CLOSE).
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            int fd = fd(server);
            LinuxSocket.setFastOpen(fd, 7);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            assertEquals(7, LinuxSocket.fastOpenQueueLength(fd));
        }
    }

    @Test
    void setFastOpenWithNegativeQueueLengthIsRejectedByKernel() throws Exception {
        try (ServerSocketChannel server = loopbackListener()) {
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> LinuxSocket.setFastOpen(fd(server), -1));
            assertEquals(22, e.errno()); // EINVAL
            assertFalse(e.isUnsupported());
        }
    }

    /** 16 bytes (primary) and 32 (primary and backup) are what the kernel takes; any other length is EINVAL. */
    @Test
    void setFastOpenKeyTakesOneOrTwoKeysAndNothingElse() throws Exception {
        try (ServerSocketChannel server = loopbackListener()) {
            int fd = fd(server);
            LinuxSocket.setFastOpen(fd, 16);
            assertDoesNotThrow(() -> LinuxSocket.setFastOpenKey(fd, new byte[16]));
            assertDoesNotThrow(() -> LinuxSocket.setFastOpenKey(fd, new byte[32]));
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> LinuxSocket.setFastOpenKey(fd, new byte[8]));
            assertEquals(LinuxConstants.EINVAL, e.errno());
        }
    }

    @Test
    void domainOfLoopbackListenerIsAnInternetFamily() throws Exception {
        try (ServerSocketChannel server = loopbackListener()) {
            int domain = LinuxSocket.domain(fd(server));
            assertTrue(domain == LinuxConstants.AF_INET || domain == LinuxConstants.AF_INET6,
                    "domain " + domain);
        }
    }

    @Test
    void domainOfUnixSocketIsAfUnix() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertEquals(1, LinuxSocket.domain(fd(server))); // AF_UNIX
        }
    }

    @Test
    void tcpInfoOfListenerAndBothEndsOfAConnection() throws Exception {
        try (ServerSocketChannel server = loopbackListener()) {
            TcpInfo listening = LinuxSocket.tcpInfo(fd(server));
            assertEquals(TcpInfo.STATE_LISTEN, listening.state());

            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel accepted = server.accept()) {
                assertNotNull(accepted);
                TcpInfo clientInfo = LinuxSocket.tcpInfo(fd(client));
                TcpInfo acceptedInfo = LinuxSocket.tcpInfo(fd(accepted));
                assertEquals(TcpInfo.STATE_ESTABLISHED, clientInfo.state(), clientInfo.toString());
                assertEquals(TcpInfo.STATE_ESTABLISHED, acceptedInfo.state(), acceptedInfo.toString());
                // A plain handshake: no TFO on either side.
                assertFalse(clientInfo.synData());
                assertFalse(acceptedInfo.fastOpenChild());
                assertFalse(acceptedInfo.synData());
                // The SYN was acked (and counts as one byte); nothing else was sent yet.
                assertEquals(1, clientInfo.bytesAcked(), clientInfo.toString());
                assertTrue(clientInfo.handshakeCompleted());
            }
        }
    }

    @Test
    void aRefusedConnectLeavesTheSynUnacked() throws Exception {
        InetSocketAddress closed;
        try (ServerSocketChannel server = loopbackListener()) {
            closed = (InetSocketAddress) server.getLocalAddress();
        }
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.connect(closed);
            // Looked at before finishConnect(), which closes a channel whose connect failed.
            try (Selector selector = Selector.open()) {
                client.register(selector, SelectionKey.OP_CONNECT);
                assertEquals(1, selector.select(5000), "the RST arrives");
            }
            TcpInfo info = LinuxSocket.tcpInfo(fd(client));
            assertThrows(ConnectException.class, client::finishConnect);
            assertTrue(info.handshakeNeverCompleted(), info.toString());
        }
    }

    @Test
    void invalidFdFailsWithEbadf() {
        NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.domain(-1));
        assertEquals(LinuxConstants.EBADF, e.errno());
        assertEquals(9, e.errno());
        assertFalse(e.isUnsupported());
        assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
        assertTrue(e.getMessage().contains("getsockopt(SO_DOMAIN)"), e.getMessage());
        assertTrue(e.getMessage().contains("errno 9"), e.getMessage());
    }

    @Test
    void invalidFdFailsWithEbadfForEveryCall() {
        NativeCallException set = assertThrows(NativeCallException.class, () -> LinuxSocket.setFastOpen(-1, 16));
        assertEquals(LinuxConstants.EBADF, set.errno());
        assertTrue(set.getMessage().startsWith("setsockopt(TCP_FASTOPEN) failed: Bad file descriptor"),
                set.getMessage());
        NativeCallException get = assertThrows(NativeCallException.class, () -> LinuxSocket.fastOpenQueueLength(-1));
        assertEquals(LinuxConstants.EBADF, get.errno());
        NativeCallException info = assertThrows(NativeCallException.class, () -> LinuxSocket.tcpInfo(-1));
        assertEquals(LinuxConstants.EBADF, info.errno());
        assertTrue(info.getMessage().contains("getsockopt(TCP_INFO)"), info.getMessage());
        NativeCallException connect = assertThrows(NativeCallException.class,
                () -> LinuxSocket.setFastOpenConnect(-1, true));
        assertEquals(LinuxConstants.EBADF, connect.errno());
        NativeCallException send = assertThrows(NativeCallException.class, () -> LinuxSocket.sendEmpty(-1));
        assertEquals(LinuxConstants.EBADF, send.errno());
    }

    @Test
    void closedFdFailsWithEbadf() throws Exception {
        ServerSocketChannel server = loopbackListener();
        int fd = fd(server);
        server.close();
        // Nothing else in this test opens files, but a parallel runner could reuse the number:
        // only assert when the number is really free (fcntl is not in the shim; use /proc).
        if (!Files.exists(Path.of("/proc/self/fd/" + fd))) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.tcpInfo(fd));
            assertEquals(LinuxConstants.EBADF, e.errno());
            assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
        } else {
            throw new AssertionError("fd " + fd + " still open after close()");
        }
    }

    @Test
    void setFastOpenOnUnixDomainSocketIsUnsupported() throws Exception {
        Path path = tempDir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.setFastOpen(fd(server), 16));
            assertTrue(e.isUnsupported(), e.getMessage() + " errno " + e.errno());
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void tcpOptionOnUdpSocketIsUnsupported() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open()) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.setFastOpen(fd(udp), 16));
            assertEquals(LinuxConstants.ENOPROTOOPT, e.errno(), e.getMessage());
            assertTrue(e.isUnsupported());
        }
    }

    @Test
    void pipeIsNotASocket() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.setFastOpen(fd(source), 16));
            assertEquals(LinuxConstants.ENOTSOCK, e.errno(), e.getMessage());
            assertTrue(e.isUnsupported());
            NativeCallException d = assertThrows(NativeCallException.class, () -> LinuxSocket.domain(fd(sink)));
            assertEquals(LinuxConstants.ENOTSOCK, d.errno());
        }
    }

    @Test
    void setFastOpenConnectOnUnconnectedSocket() throws Exception {
        boolean clientBit = FastOpenSysctl.read().clientEnabled();
        try (SocketChannel client = SocketChannel.open()) {
            int fd = fd(client);
            if (clientBit) {
                assertDoesNotThrow(() -> LinuxSocket.setFastOpenConnect(fd, true));
                assertDoesNotThrow(() -> LinuxSocket.setFastOpenConnect(fd, false));
            } else {
                // The kernel refuses TCP_FASTOPEN_CONNECT when the namespace's sysctl lacks 0x1.
                NativeCallException e = assertThrows(NativeCallException.class,
                        () -> LinuxSocket.setFastOpenConnect(fd, true));
                assertTrue(e.isUnsupported(), e.getMessage());
            }
        }
    }

    @Test
    void setFastOpenConnectOnConnectedSocketIsRejected() throws Exception {
        try (ServerSocketChannel server = loopbackListener();
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            assertNotNull(accepted);
            // EINVAL (not closed) when the sysctl has the client bit, EOPNOTSUPP when not.
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> LinuxSocket.setFastOpenConnect(fd(client), true));
            assertTrue(e.errno() == 22 || e.errno() == LinuxConstants.EOPNOTSUPP, "errno " + e.errno());
        }
    }

    @Test
    void connectsANonBlockingSocketToIpv4FromBothFamiliesAndSendsWithoutWaiting() throws Exception {
        for (StandardProtocolFamily family : new StandardProtocolFamily[] {StandardProtocolFamily.INET,
                StandardProtocolFamily.INET6}) {
            try (ServerSocketChannel server = loopbackListener();
                    SocketChannel client = SocketChannel.open(family)) {
                client.configureBlocking(false);
                LinuxSocket.connect(fd(client), (InetSocketAddress) server.getLocalAddress());
                try (SocketChannel accepted = server.accept()) {
                    assertNotNull(accepted, family + ": the listener got the connection");
                    assertEquals(2, LinuxSocket.sendNow(fd(client), "xhi".getBytes(), 1));
                    java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(8);
                    assertEquals(2, accepted.read(in));
                    assertEquals("hi", new String(in.array(), 0, 2));
                }
            }
        }
    }

    @Test
    void anIpv6DestinationCannotBeGivenToAnIpv4Socket() throws Exception {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> LinuxSocket.connect(fd(client),
                    new InetSocketAddress(InetAddress.getByName("::1"), 9)));
            assertEquals(LinuxConstants.EAFNOSUPPORT, e.errno());
        }
    }

    /** The kernel fact the agent's recovery of a reset connection stands on. */
    @Test
    void aSocketWhoseConnectWasRefusedCanConnectAgain() throws Exception {
        InetSocketAddress closed;
        try (ServerSocketChannel gone = loopbackListener()) {
            closed = (InetSocketAddress) gone.getLocalAddress();
        }
        try (ServerSocketChannel server = loopbackListener(); SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            int fd = fd(client);
            try {
                LinuxSocket.connect(fd, closed);
                assertTrue(LinuxSocket.takeError(fd) != 0 || LinuxSocket.tcpInfo(fd).state() == TcpInfo.STATE_CLOSE,
                        "refused");
            } catch (NativeCallException e) {
                assertEquals(LinuxConstants.ECONNREFUSED, e.errno());
            }
            boolean connectedAgain = false;
            for (int attempt = 0; attempt < 2 && !connectedAgain; attempt++) {
                try {
                    LinuxSocket.connect(fd, (InetSocketAddress) server.getLocalAddress());
                    connectedAgain = true;
                } catch (NativeCallException e) {
                    assertEquals(LinuxConstants.ECONNABORTED, e.errno(), "only the failed attempt's leftover");
                }
            }
            assertTrue(connectedAgain);
            try (SocketChannel accepted = server.accept()) {
                assertNotNull(accepted);
            }
        }
    }
}
