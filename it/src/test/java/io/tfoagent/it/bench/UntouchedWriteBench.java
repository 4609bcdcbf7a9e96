package io.tfoagent.it.bench;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-write cost on sockets the agent does not touch (DESIGN.md §4 hazard 7), two ways:
 * <ul>
 * <li>{@link #channelWrite64}: {@code SocketChannel.write} of 64 heap bytes on a connected
 *     loopback socket whose peer drains it in another thread. {@link OverheadBench} runs it in
 *     forks without and with {@code -javaagent:tfo-agent.jar=allow=198.18.0.0/15,server=off}: the
 *     write advice is woven in, but 127.0.0.1 is not allowed, so the socket is untouched. The
 *     difference is the hook, seen through a ~1-2 µs system call. {@link #channelWrite0} is the
 *     same A/B without the system call.</li>
 * <li>{@link #bridgeWriting}: {@code sun.nio.ch.TfoBridge.writing(fd, buf, 0, 0)} itself, what the
 *     advice calls, in a fork with {@code --patch-module java.base=agent/target/bridge-classes} and no
 *     agent installed: one volatile read, then null. {@link #volatileReadBaseline} is the floor.</li>
 * </ul>
 * The same two while the agent follows other sockets: {@link TrackedSocketsBench}.
 * Run by {@link OverheadBench}, not by {@code mvn verify}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UntouchedWriteBench {
    static final int WRITE_SIZE = 64;
    /** Stands for the bridge's {@code trackedSockets}, for the baseline. */
    static volatile int trackedSockets;

    /** A connected loopback pair; the accepted end is drained by a daemon thread. */
    @State(Scope.Thread)
    public static class Loopback {
        private ServerSocketChannel listener;
        private SocketChannel client;
        private SocketChannel peer;
        private Thread drainer;
        private volatile boolean closing;
        final ByteBuffer buffer = ByteBuffer.allocate(WRITE_SIZE);
        final ByteBuffer empty = ByteBuffer.allocate(0);

        @Setup(Level.Trial)
        public void open() throws IOException {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = SocketChannel.open(listener.getLocalAddress());
            peer = listener.accept();
            drainer = new Thread(this::drain, "drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        private void drain() {
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
            try {
                while (peer.read(sink.clear()) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                if (!closing) {
                    throw new IllegalStateException("drainer failed", e);
                }
            }
        }

        /** The connected client end, the one the benchmarks write to. */
        SocketChannel client() {
            return client;
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            closing = true;
            client.close();
            drainer.join(5_000);
            peer.close();
            listener.close();
        }
    }

    @Benchmark
    public int channelWrite64(Loopback s) throws IOException {
        ByteBuffer b = s.buffer;
        b.clear();
        return s.client.write(b);
    }

    /**
     * The same call with nothing to write: the JDK's whole Java path (lock, begin/end, temporary
     * direct buffer) and the advice, but no system call (IOUtil returns 0 before it): the hook's
     * share is not hidden under the ~1-2 µs and the jitter of a send.
     */
    @Benchmark
    public int channelWrite0(Loopback s) throws IOException {
        return s.client.write(s.empty);
    }

    @State(Scope.Thread)
    public static class Args {
        /** Never looked at while no socket is tracked: any FileDescriptor object will do. */
        final FileDescriptor fd = new FileDescriptor();
        final ByteBuffer buffer = ByteBuffer.allocate(WRITE_SIZE);
    }

    @Benchmark
    public Object bridgeWriting(Args a) throws Throwable {
        return (Object) BridgeHandles.Writing.WRITING.invokeExact(a.fd, (Object) a.buffer, 0, 0);
    }

    /** The floor: the one static volatile int read the bridge makes while no client socket is tracked. */
    @Benchmark
    public int volatileReadBaseline() {
        return trackedSockets;
    }
}
