package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.Decisions;
import io.tfoagent.core.options.LogTarget;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.core.policy.HostPattern;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * dry-run=true on the client side: each connection is counted as the real run would count it,
 * and the kernel (the fake one here; DryRunIT has the real one) sees no TFO call at all: no
 * TCP_FASTOPEN_CONNECT, no bare SYN, no socket left followed.
 */
class ClientDryRunTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final String POST = "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx";

    private final FakeKernel kernel = new FakeKernel();
    private final AtomicInteger tracked = new AtomicInteger();
    private final ClientFastOpen client = new ClientFastOpen(
            new DestinationPolicy(List.of(HostPattern.parse("198.18.0.0/15")), List.of(), List.of()),
            new FirstWriteClassifier(FirstWriteClassifier.DEFAULT_HTTP_METHODS), new ClientTimings(5, 1_000, 4_000),
            AgentLog.open(LogTarget.OFF), kernel, tracked, true);
    private final List<String> events = new ArrayList<>();

    ClientDryRunTest() {
        client.weavingDone();
        client.counters().reportTo(new Decisions() {
            @Override
            public void decided(String side, InetSocketAddress destination, String outcome, String reason,
                    boolean acked) {
                events.add(outcome + ": " + reason + " " + acked);
            }
        });
    }

    private static InetSocketAddress at(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("198.18.0.2"), port);
    }

    /** A connect() as the JDK makes it under the advice: the kernel handshakes, since nothing asked it to defer. */
    private FileDescriptor connect(int fd, InetSocketAddress to, int timeoutMillis) throws IOException {
        FileDescriptor socket = new FileDescriptor();
        kernel.deferred(fd);
        int how = client.beforeConnect(socket, fd, to);
        kernel.connectedNormally(fd);
        client.afterConnect(socket, fd, to, how, true, true, timeoutMillis);
        return socket;
    }

    private void write(FileDescriptor socket, int fd, String text) throws IOException {
        TfoConnection c = client.find(socket, fd);
        if (c != null) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            assertNull(client.beforeWrite(c, FirstBytes.of(bytes, 0, bytes.length)),
                    "a dry run never follows a write's outcome");
        }
        kernel.jdkWrite(fd, text);
    }

    private void assertNoTfoCall(int fd) {
        List<String> calls = kernel.at(fd).calls;
        assertFalse(calls.contains("setFastOpenConnect"), calls::toString);
        assertFalse(calls.contains("sendEmpty"), calls::toString);
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("setNonBlocking")), calls::toString);
    }

    @Test
    void aReplaySafeFirstWriteIsCountedAsWouldHaveRiddenInTheSynAndNothingElseHappens() throws IOException {
        FileDescriptor s = connect(7, at(80), 0);
        assertEquals(1, tracked.get(), "followed until its first act");
        write(s, 7, GET);
        write(s, 7, GET);
        assertNoTfoCall(7);
        ClientCounters n = client.counters();
        assertEquals(1, n.wouldRideInSyn.sum(), "only the first write is classified");
        assertEquals(1, n.allowed.sum());
        assertEquals(0, n.synData.sum());
        assertEquals(0, n.cookieHit.sum() + n.cookieMiss.sum(), "no cookie is asked for in a dry run");
        assertEquals(0, tracked.get());
        assertTrue(n.summary().startsWith("client: 1 connects"), n.summary());
        assertTrue(n.summary().endsWith("; dry-run (nothing changed on the wire): would have ridden in the SYN 1"),
                n.summary());
        // Counted where every outcome is (ClientCounters.count): the attribute, the destination view, the event.
        assertEquals(1L, n.snapshot().get("WouldRideInSyn"));
        assertEquals(0L, n.snapshot().get("SynDataAcked"));
        DestinationView.Row row = client.destinations(1).get(0);
        assertEquals("198.18.0.2:80: 1 connections, 0 saved a round trip (0%), missed mostly: would have ridden in"
                + " the SYN (1)", row.line());
        assertEquals(List.of("dry-run: would have ridden in the SYN false"), events);
    }

    @Test
    void everyReasonIsCountedAsTheRealRunWould() throws IOException {
        FileDescriptor post = connect(7, at(80), 0);
        write(post, 7, POST);
        FileDescriptor large = connect(8, at(80), 500);
        write(large, 8, "GET / HTTP/1.1\r\nHost: t\r\nX: " + "x".repeat((int) ClientFastOpen.SYN_DATA_LIMIT) + "\r\n\r\n");
        FileDescriptor closed = connect(9, at(81), 0);
        client.beforeClose(closed, 9);
        FileDescriptor reader = connect(10, at(82), 0);
        assertNull(client.beforeRead(client.find(reader, 10)));
        for (int fd = 7; fd <= 10; fd++) {
            assertNoTfoCall(fd);
        }
        ClientCounters n = client.counters();
        assertEquals(1, n.notReplaySafe.sum());
        assertEquals(1, n.tooLargeWithTimeout.sum());
        assertEquals(1, n.closedUnwritten.sum());
        assertEquals(1, n.readFirst.sum());
        assertEquals(0, n.wouldRideInSyn.sum());
        assertEquals(0, tracked.get());
        assertEquals(List.of("bare-syn: not replay-safe false", "bare-syn: too large for a timed connect false",
                "bare-syn: closed unwritten false", "bare-syn: read first false"), events);

        // What the first acts showed is learned as in a real run: the next connects are skipped with their reason.
        connect(11, at(82), 0);
        connect(12, at(81), 0);
        assertEquals(1, n.serverSpeaksFirst.sum());
        assertEquals(1, n.connectThenClose.sum());
        assertEquals(0, tracked.get());
    }

    @Test
    void aDestinationNotAllowedIsNotFollowed() throws IOException {
        InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 80);
        connect(7, elsewhere, 0);
        assertEquals(0, tracked.get());
        assertEquals(1, client.counters().notAllowed.sum());
    }
}
