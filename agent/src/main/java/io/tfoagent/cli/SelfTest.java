package io.tfoagent.cli;

import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.TcpExtCounters;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import sun.nio.ch.IOUtil;
import sun.nio.ch.SelChImpl;

/**
 * doctor's TFO exchange on loopback, in this network namespace: a listener with TCP_FASTOPEN
 * and two connections with TCP_FASTOPEN_CONNECT, each writing first. The first may have to
 * fetch the cookie; the second must carry its data in the SYN, which the kernel shows on both
 * ends (TCP_INFO: the client's SYN data was acked, the server's child came from a TFO SYN with
 * data) and in the namespace's TcpExt counters. Both ends are in this process, on loopback, so
 * nothing here waits on anything but the local kernel.
 */
final class SelfTest {
    private static final byte[] REQUEST = "doctor\n".getBytes(StandardCharsets.US_ASCII);

    /** What the second connection showed. */
    record Result(boolean clientSynDataAcked, boolean serverTookSynData, long passiveDelta, long activeDelta) {
        boolean passed() {
            return clientSynDataAcked && serverTookSynData;
        }

        @Override
        public String toString() {
            return "second connection: client TCP_INFO syn_data=" + clientSynDataAcked + ", server TCP_INFO"
                    + " syn_data+tfo_child=" + serverTookSynData + "; TcpExt TCPFastOpenPassive +" + passiveDelta
                    + ", TCPFastOpenActive +" + activeDelta;
        }
    }

    private SelfTest() {}

    /** Needs JdkAccess opened (the fds of JDK channels). */
    static Result run() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LinuxSocket.setFastOpen(fd(listener), 16);
            exchange(listener);
            TcpExtCounters before = TcpExtCounters.read();
            boolean[] second = exchange(listener);
            TcpExtCounters after = TcpExtCounters.read();
            return new Result(second[0], second[1],
                    after.get(TcpExtCounters.PASSIVE) - before.get(TcpExtCounters.PASSIVE),
                    after.get(TcpExtCounters.ACTIVE) - before.get(TcpExtCounters.ACTIVE));
        }
    }

    /** One connection writing first; {client SYN data acked, server child took SYN data}. */
    private static boolean[] exchange(ServerSocketChannel listener) throws IOException {
        try (SocketChannel client = SocketChannel.open()) {
            LinuxSocket.setFastOpenConnect(fd(client), true);
            client.connect(listener.getLocalAddress());
            client.write(ByteBuffer.wrap(REQUEST));
            try (SocketChannel child = listener.accept()) {
                ByteBuffer in = ByteBuffer.allocate(REQUEST.length);
                while (in.hasRemaining() && child.read(in) >= 0) {
                    // bounded by REQUEST's length: the client wrote it all
                }
                child.write(ByteBuffer.wrap(new byte[] {1}));
                client.read(ByteBuffer.allocate(1)); // the client has seen the SYN-ACK and more by now
                TcpInfo server = LinuxSocket.tcpInfo(fd(child));
                return new boolean[] {LinuxSocket.tcpInfo(fd(client)).synData(),
                    server.synData() && server.fastOpenChild()};
            }
        }
    }

    /** The fd number of one of doctor's own JDK channels. */
    static int fd(Object channel) {
        return IOUtil.fdVal(((SelChImpl) channel).getFD());
    }
}
