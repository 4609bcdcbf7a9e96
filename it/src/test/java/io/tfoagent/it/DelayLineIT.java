package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfoagent.it.rtt.DelayLine;
import io.tfoagent.it.rtt.DelayLineProcess;
import io.tfoagent.it.rtt.NetNamespace;
import io.tfoagent.it.rtt.RttProbe;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RTT emulator the benchmarks stand on (DESIGN.md §6: no {@code sch_netem} here): a TCP
 * handshake across the line takes the configured round trip, each direction its own delay, and
 * bursts cross whole and in order. Infrastructure, so it runs once, on the JDK running Maven.
 */
class DelayLineIT {
    /**
     * The line adds its own processing (two TUN hops, thread wake-ups): ~0.2-0.4 ms here on a
     * quiet box, up to +1.5 ms seen on a slow evening (2026-12-01, full CI runs). 2 ms still
     * catches a broken line (a delay missed, or applied twice, is 5-50 ms off), and the
     * benchmarks compare clients side by side through the same line.
     */
    private static final Duration TOLERANCE = Duration.ofMillis(2);
    private static final int PROBES = 20;
    private static final AtomicInteger PORTS = new AtomicInteger(19000);

    private NetNamespace client;
    private NetNamespace server;

    @BeforeAll
    static void requireRoot() {
        assumeTrue(NetNamespace.isRoot(), "needs root for ip netns and TUN devices (run as root, or see README)");
    }

    /** Fresh namespaces per test: no socket of an earlier test (a FIN cut off by its line's close) muddies the counters. */
    @BeforeEach
    void namespaces() {
        client = NetNamespace.createUnique("client");
        server = NetNamespace.createUnique("server");
    }

    @AfterEach
    void removeNamespaces() {
        try (NetNamespace c = client; NetNamespace s = server) {
            // closes both, skips a null one, and still closes the second if the first fails
        }
    }

    @ParameterizedTest(name = "RTT {0} ms over {1}")
    @CsvSource({"10, IPv4", "50, IPv4", "10, IPv6", "50, IPv6"})
    void tcpHandshakeTakesConfiguredRoundTrip(int rttMillis, String family) {
        Duration rtt = Duration.ofMillis(rttMillis);
        try (DelayLine line = DelayLine.start(client.name(), server.name(), rtt)) {
            String address = family.equals("IPv4") ? line.b().ipv4() : line.b().ipv6();

            RttProbe.Summary connect = RttProbe.Summary.of(
                    RttProbe.connectTimes(client, server, address, PORTS.incrementAndGet(), 3, PROBES));

            System.out.printf("DelayLineIT RTT %d ms %s: connect %s; error %s%n%s%n", rttMillis, family, connect,
                    connect.errorsAgainst(rtt), line.stats());
            assertAll(
                    () -> assertTrue(connect.min() >= rtt.toNanos(), "fastest handshake beat the RTT: " + connect),
                    () -> assertTrue(Math.abs(connect.median() - rtt.toNanos()) <= TOLERANCE.toNanos(),
                            "median handshake off by more than " + TOLERANCE + ": " + connect),
                    () -> assertNull(line.failure()),
                    () -> assertEquals(0, line.stats().dropped(), "packets dropped:\n" + line.stats()));
        }
    }

    @Test
    void eachDirectionHasItsOwnDelay() {
        Duration aToB = Duration.ofMillis(30);
        Duration bToA = Duration.ofMillis(5);
        DelayLine.Config config = DelayLine.Config.of(client.name(), server.name(), Duration.ZERO).withDelays(aToB, bToA);
        try (DelayLine line = DelayLine.start(config)) {
            RttProbe.Summary there = RttProbe.Summary.of(
                    RttProbe.oneWayDelays(client, server, line.b().ipv4(), PORTS.incrementAndGet(), PROBES));
            RttProbe.Summary back = RttProbe.Summary.of(
                    RttProbe.oneWayDelays(server, client, line.a().ipv4(), PORTS.incrementAndGet(), PROBES));

            System.out.printf("DelayLineIT one way: a->b %s, b->a %s%n", there.errorsAgainst(aToB), back.errorsAgainst(bToA));
            assertAll(
                    () -> assertTrue(there.min() >= aToB.toNanos(), "a->b faster than its delay: " + there),
                    () -> assertTrue(there.median() - aToB.toNanos() <= TOLERANCE.toNanos(), "a->b: " + there),
                    () -> assertTrue(back.min() >= bToA.toNanos(), "b->a faster than its delay: " + back),
                    () -> assertTrue(back.median() - bToA.toNanos() <= TOLERANCE.toNanos(), "b->a: " + back));
        }
    }

    @Test
    void thousandBackToBackDatagramsArriveIntactAndInOrder() {
        int count = 1000;
        int size = 1000;
        try (DelayLine line = DelayLine.start(client.name(), server.name(), Duration.ofMillis(10))) {
            long socketDropsBefore = server.counter("Udp", "RcvbufErrors");
            List<byte[]> received = RttProbe.udpBurst(client, server, line.b().ipv4(), PORTS.incrementAndGet(),
                    count, size, Duration.ofSeconds(2));

            DelayLine.Stats stats = line.stats();
            System.out.println("DelayLineIT burst: " + received.size() + " datagrams\n" + stats);
            assertEquals(0, stats.dropped(), "the line dropped packets:\n" + stats);
            assertEquals(count, received.size(), "datagrams lost, not by the line; receiver socket overflows: "
                    + (server.counter("Udp", "RcvbufErrors") - socketDropsBefore));
            for (int seq = 0; seq < count; seq++) {
                assertArrayEquals(RttProbe.datagram(seq, size), received.get(seq), "datagram " + seq + " of " + count);
            }
        }
    }

    @Test
    void megabyteOverTcpArrivesIntactWithoutReordering() {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (DelayLine line = DelayLine.start(client.name(), server.name(), Duration.ofMillis(10))) {
            long outOfOrderBefore = server.counter("TcpExt", "TCPOFOQueue");
            long retransmitsBefore = client.counter("Tcp", "RetransSegs");

            byte[] received = RttProbe.tcpTransfer(client, server, line.b().ipv4(), PORTS.incrementAndGet(), data,
                    Duration.ofSeconds(60));

            DelayLine.Stats stats = line.stats();
            System.out.println("DelayLineIT 1 MiB over TCP:\n" + stats);
            assertArrayEquals(data, received, "bytes differ after the line");
            assertAll(
                    () -> assertTrue(stats.aToB().packets() >= 700, "fewer packets than 1 MiB needs: " + stats.aToB()),
                    () -> assertEquals(0, stats.dropped(), "packets dropped:\n" + stats),
                    () -> assertEquals(0, server.counter("TcpExt", "TCPOFOQueue") - outOfOrderBefore,
                            "the receiver saw segments out of order"),
                    () -> assertEquals(0, client.counter("Tcp", "RetransSegs") - retransmitsBefore,
                            "the sender retransmitted"));
        }
    }

    @Test
    void lineInItsOwnJvmTakesConfiguredRoundTripAndCleansUp() {
        Duration rtt = Duration.ofMillis(20);
        String device;
        try (DelayLineProcess line = DelayLineProcess.start(client.name(), server.name(), rtt)) {
            device = line.a().device();
            RttProbe.Summary connect = RttProbe.Summary.of(
                    RttProbe.connectTimes(client, server, line.b().ipv4(), PORTS.incrementAndGet(), 3, PROBES));

            System.out.printf("DelayLineIT own JVM, RTT 20 ms: connect %s; error %s%n", connect, connect.errorsAgainst(rtt));
            assertAll(
                    () -> assertTrue(connect.min() >= rtt.toNanos(), "fastest handshake beat the RTT: " + connect),
                    () -> assertTrue(Math.abs(connect.median() - rtt.toNanos()) <= TOLERANCE.toNanos(),
                            "median handshake off by more than " + TOLERANCE + ": " + connect),
                    () -> assertTrue(line.isAlive(), line.output()));
        }
        assertFalse(client.ip("-o", "link", "show").contains(device + ":"), "device left in " + client);
        assertFalse(server.ip("-o", "link", "show").contains(device + ":"), "device left in " + server);
    }

    @Test
    void closeRemovesDevicesAndStopsThreads() {
        DelayLine line = DelayLine.start(client.name(), server.name(), Duration.ofMillis(10));
        assertTrue(client.ip("-o", "link", "show").contains(line.a().device() + ":"), "device missing in " + client);

        line.close();

        assertAll(
                () -> assertFalse(client.ip("-o", "link", "show").contains(line.a().device() + ":"), "device left in " + client),
                () -> assertFalse(server.ip("-o", "link", "show").contains(line.b().device() + ":"), "device left in " + server),
                () -> assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("delayline-")), "forwarding threads still alive"),
                () -> assertNull(line.failure()));
        line.close(); // a second close does nothing
    }
}
