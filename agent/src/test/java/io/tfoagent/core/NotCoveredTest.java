package io.tfoagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.options.OptionsParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths the agent does not handle: one line per class, every socket counted, only where TFO would have applied. */
class NotCoveredTest {
    private static final String EPOLL = "io.netty.channel.epoll.LinuxSocket";
    private static final String SHADED_EPOLL = "io.grpc.netty.shaded.io.netty.channel.epoll.LinuxSocket";
    private static final String IO_URING = "io.netty.channel.uring.AbstractIoUringChannel";
    private static final InetSocketAddress ALLOWED = new InetSocketAddress("198.18.0.2", 80);

    @TempDir
    Path dir;

    @Test
    void eachClassIsNamedOnceAndEveryConnectCounted() throws IOException {
        NotCovered notCovered = notCovered("allow=198.18.0.0/15", true);
        for (int i = 0; i < 3; i++) {
            notCovered.opened(EPOLL, ALLOWED);
            notCovered.opened(IO_URING, ALLOWED);
        }
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("tfo-agent: not covered: Netty epoll client connects"
                + " (io.netty.channel.epoll.LinuxSocket) go without TFO"), lines.get(0));
        assertTrue(lines.get(0).contains("-Dio.netty.transport.noNative=true"), lines.get(0));
        assertTrue(lines.get(1).startsWith("tfo-agent: not covered: Netty io_uring client connects"), lines.get(1));
        assertEquals("not covered: 6 (Netty epoll client connects 3, Netty io_uring client connects 3)",
                notCovered.summary());
    }

    @Test
    void aShadedNettyIsNamedWithItsPrefixAndItsOwnProperty() throws IOException {
        NotCovered notCovered = notCovered("allow=198.18.0.0/15", true);
        notCovered.opened(SHADED_EPOLL, ALLOWED);
        String line = lines().get(0);
        assertTrue(line.contains("Netty epoll shaded under io.grpc.netty.shaded client connects"), line);
        assertTrue(line.contains("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true"), line);
    }

    @Test
    void connectsThatWouldGoWithoutTfoAnywayAreNotCounted() throws IOException {
        NotCovered notCovered = notCovered("allow=198.18.0.0/15,deny=198.18.0.9", true);
        notCovered.opened(EPOLL, new InetSocketAddress("127.0.0.1", 80)); // not allowed
        notCovered.opened(EPOLL, new InetSocketAddress("198.18.0.9", 80)); // denied
        notCovered.opened(EPOLL, new InetSocketAddress("198.18.0.2", 22)); // server speaks first
        notCovered.opened(EPOLL, UnixDomainSocketAddress.of("/tmp/x")); // not TCP
        notCovered.opened(EPOLL, InetSocketAddress.createUnresolved("x.invalid", 80));
        assertEquals("not covered: 0", notCovered.summary());
        assertEquals(List.of(), lines());
    }

    @Test
    void connectsAreNotCountedWithTheClientSideOffNorListenersWithTheServerSideOff() throws IOException {
        NotCovered off = new NotCovered(log(), null, false);
        off.opened(EPOLL, ALLOWED);
        off.opened("org.apache.tomcat.util.net.AprEndpoint", null);
        assertEquals("not covered: 0", off.summary());
        assertEquals(List.of(), lines());
    }

    @Test
    void aListenerIsCountedWhenTheServerSideIsOn() throws IOException {
        NotCovered notCovered = new NotCovered(log(), null, true);
        notCovered.opened("org.apache.tomcat.util.net.AprEndpoint", null);
        notCovered.opened("org.apache.tomcat.util.net.AprEndpoint", null);
        assertEquals("not covered: 2 (Tomcat APR listeners 2)", notCovered.summary());
        assertTrue(lines().get(0).contains("Tomcat's NIO or NIO2 connector has TFO"));
    }

    @Test
    void pathsAreNamedByTransport() {
        assertEquals("Netty io_uring client connects",
                NotCovered.Path.of("io.netty.channel.uring.IoUringSocketChannel", false).name());
        assertEquals("Netty kqueue client connects",
                NotCovered.Path.of("io.netty.channel.kqueue.BsdSocket", false).name());
        assertEquals("Netty native client connects", NotCovered.Path.of("io.netty.channel.unix.Socket", false).name());
        assertEquals("com.example.Jni listeners", NotCovered.Path.of("com.example.Jni", true).name());
    }

    private NotCovered notCovered(String options, boolean server) {
        return new NotCovered(log(), OptionsParser.parse(null, options).destinationPolicy(), server);
    }

    private AgentLog log() {
        return AgentLog.open(OptionsParser.parse(null, "log=file:" + dir.resolve("log")).log());
    }

    private List<String> lines() throws IOException {
        Path file = dir.resolve("log");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
