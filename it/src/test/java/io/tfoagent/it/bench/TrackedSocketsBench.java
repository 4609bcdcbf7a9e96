package io.tfoagent.it.bench;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-write check on a socket the agent does not touch while it follows {@link #tracked}
 * other sockets (issue 7: at most 5 ns with 1,000 followed, on both JDKs). With none followed the
 * bridge stops at its count; with some, every write of every socket goes on into the agent's
 * fd-indexed table and comes back with nothing, and that is what this measures, on the real
 * agent ({@code -javaagent}, not a patched-in bridge):
 * <ul>
 * <li>{@link #channelWrite0}: a 0-byte {@code SocketChannel.write} on a connected loopback channel
 *     to 127.0.0.1, which the agent does not follow: the JDK's Java path and the advice, no system
 *     call.</li>
 * <li>{@link #bridgeWriting}: {@code TfoBridge.writing(fd, buf, 0, 0)} on that channel's
 *     FileDescriptor, what the advice calls, alone.</li>
 * </ul>
 * Each value of {@link #tracked} runs in a fork of its own with the same agent options;
 * {@link OverheadBench} (part {@code tracked}) compares the forks. The followed sockets are
 * {@link DeferredConnections}; see there for what the fork needs. Not run by {@code mvn verify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrackedSocketsBench {
    /** How many other sockets the agent follows during the measurement. */
    @Param({"0", "1000"})
    public int tracked;

    private final UntouchedWriteBench.Loopback untracked = new UntouchedWriteBench.Loopback();
    private DeferredConnections others;
    private FileDescriptor untrackedFd;
    private final ByteBuffer buffer = ByteBuffer.allocate(UntouchedWriteBench.WRITE_SIZE);

    @Setup(Level.Trial)
    public void open() throws Exception {
        untracked.open();
        untrackedFd = BridgeHandles.fileDescriptorOf(untracked.client());
        others = DeferredConnections.open(tracked);
    }

    /** After every iteration: the agent still followed all of them while it was measured. */
    @TearDown(Level.Iteration)
    public void stillFollowed() {
        others.requireFollowed();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        try {
            others.close();
        } finally {
            untracked.close();
        }
    }

    @Benchmark
    public int channelWrite0() throws IOException {
        return untracked.client().write(untracked.empty);
    }

    @Benchmark
    public Object bridgeWriting() throws Throwable {
        return (Object) BridgeHandles.Writing.WRITING.invokeExact(untrackedFd, (Object) buffer, 0, 0);
    }
}
