package io.tfoagent.it.bench;

import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The native calls the client path makes per allowed connection (native-shim, JNA direct
 * mapping), on a connected loopback socket: what an allowed connection pays beyond the untouched
 * path, on top of the policy and the classifier. Per connection that opens with data in the SYN
 * through a blocking {@code Socket.connect(addr, timeout)}: setsockopt(TCP_FASTOPEN_CONNECT),
 * TCP_INFO after connect, SO_SNDTIMEO set and reset around the first write, TCP_INFO after it and
 * again to count the data as acked (see ClientFastOpen). Run by {@link OverheadBench} with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (to read the channel's fd).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeCallBench {
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel peer;
    /** Not connected: TCP_FASTOPEN_CONNECT is set before connect (EINVAL on a connected socket). */
    private SocketChannel unconnected;
    private int fd;
    private int unconnectedFd;

    @Setup
    public void open() throws Exception {
        LinuxSocket.loadNative();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        peer = listener.accept();
        unconnected = SocketChannel.open();
        Field fdVal = client.getClass().getDeclaredField("fdVal");
        fdVal.setAccessible(true);
        fd = fdVal.getInt(client);
        unconnectedFd = fdVal.getInt(unconnected);
        if (LinuxSocket.tcpInfo(fd).state() != TcpInfo.STATE_ESTABLISHED) {
            throw new IllegalStateException("fd " + fd + " is not the connected socket");
        }
    }

    @TearDown
    public void close() throws IOException {
        client.close();
        unconnected.close();
        peer.close();
        listener.close();
    }

    @Benchmark
    public TcpInfo tcpInfo() throws NativeCallException {
        return LinuxSocket.tcpInfo(fd);
    }

    @Benchmark
    public void setNonBlocking() throws NativeCallException {
        LinuxSocket.setNonBlocking(fd, false);
    }

    @Benchmark
    public void setFastOpenConnect() throws NativeCallException {
        LinuxSocket.setFastOpenConnect(unconnectedFd, true);
    }
}
