package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * server-key=file: (README "Fleet keys"): two servers A and B in namespaces of their own own one
 * address, {@value #SERVICE}; the client namespace reaches it through A or through B as its
 * route says, always from {@value #CLIENT} (a cookie is made for the client's address). The
 * client is curl, the oracle B's (or A's) TcpExt counters: TCPFastOpenPassive counts a SYN whose
 * data the server took, TCPFastOpenPassiveFail one whose cookie it refused.
 */
class FleetKeysIT {
    private static final String SERVICE = "198.18.99.1";
    private static final String CLIENT = "198.18.98.1";
    private static final String K1 = "00112233-44556677-8899aabb-ccddeeff";
    private static final String K2 = "a1b2c3d4-e5f60718-293a4b5c-6d7e8f90";
    private static final String K3 = "0f1e2d3c-4b5a6978-8796a5b4-c3d2e1f0";
    private static final Duration KEY_LINE_TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger PORTS = new AtomicInteger(18480);

    private static NetNs client;
    private static NetNs a;
    private static NetNs b;
    private static NetNs.Link toA;
    private static NetNs.Link toB;
    private static Path keys;

    @BeforeAll
    static void createHosts() throws IOException {
        NetNs.assumeRoot();
        client = NetNs.create();
        a = NetNs.create();
        b = NetNs.create();
        toA = client.link(a, 20);
        toB = client.link(b, 21);
        client.run("ip", "addr", "add", CLIENT + "/32", "dev", "lo");
        for (NetNs server : List.of(a, b)) {
            server.run("ip", "addr", "add", SERVICE + "/32", "dev", "lo");
        }
        a.run("ip", "route", "add", CLIENT + "/32", "via", toA.localIpv4());
        b.run("ip", "route", "add", CLIENT + "/32", "via", toB.localIpv4());
        keys = Files.createTempDirectory("tfo-fleet-keys");
    }

    @AfterAll
    static void removeHosts() throws IOException {
        try (NetNs c = client; NetNs x = a; NetNs y = b) {
            if (keys != null) {
                try (var files = Files.list(keys)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(keys);
            }
        }
    }

    /** Every test starts from a client that holds no cookie, routed to A, and B with a kernel key of its own. */
    @BeforeEach
    void freshClient() {
        client.run("ip", "tcp_metrics", "flush", "all");
        routeTo(toA);
        b.run("sysctl", "-qw", "net.ipv4.tcp_fastopen_key=" + K3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void sameKeyOnBothServersAcceptsTheOthersCookie(Jdk jdk) {
        Path key = keyFile("same-" + jdk, K1);
        int port = PORTS.getAndIncrement();
        try (JvmProcess serverA = serve(jdk, a, key, port); JvmProcess serverB = serve(jdk, b, key, port)) {
            Seen seen = cookieFromAThenB(port);

            assertAll(() -> assertEquals(1, seen.passive(), seen::toString),
                    () -> assertEquals(0, seen.passiveFail(), seen::toString),
                    () -> assertNoKeyIn(serverA.stop() + serverB.stop()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void differentKeysRefuseTheOthersCookie(Jdk jdk) {
        int port = PORTS.getAndIncrement();
        try (JvmProcess serverA = serve(jdk, a, keyFile("a-" + jdk, K1), port);
                JvmProcess serverB = serve(jdk, b, keyFile("b-" + jdk, K2), port)) {
            Seen seen = cookieFromAThenB(port);

            assertAll(() -> assertEquals(0, seen.passive(), seen::toString),
                    () -> assertEquals(1, seen.passiveFail(), seen::toString));
        }
    }

    /** The file's text means what the same text means to the kernel: B without the agent's key, its sysctl set to it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void fileKeyIsTheKernelsKeyOfTheSameText(Jdk jdk) {
        b.run("sysctl", "-qw", "net.ipv4.tcp_fastopen_key=" + K1);
        int port = PORTS.getAndIncrement();
        try (JvmProcess serverA = serve(jdk, a, keyFile("k-" + jdk, K1), port);
                JvmProcess serverB = ServerKind.NIO.start(jdk, b, Agent.withDefaults(), SERVICE, port)) {
            Seen seen = cookieFromAThenB(port);

            assertAll(() -> assertEquals(1, seen.passive(), seen::toString),
                    () -> assertEquals(0, seen.passiveFail(), seen::toString));
        }
    }

    /**
     * Rotation by replacing the file: a cookie of the old primary is still taken while that key is
     * the backup, and refused once no key of the file made it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void rotationKeepsTheOldPrimaryAsBackupThenDropsIt(Jdk jdk) {
        Path key = keyFile("rotate-" + jdk, K1);
        int port = PORTS.getAndIncrement();
        try (JvmProcess server = serve(jdk, a, key, port)) {
            assertEquals("200", Curl.get(client, SERVICE, port)); // fetches a cookie of K1

            replace(key, K2 + "," + K1);
            server.awaitStderrLine(keyLine(key, 2, "primary and backup"), KEY_LINE_TIMEOUT);
            TcpExtCounters before = a.tcpExt();
            assertEquals("200", Curl.get(client, SERVICE, port));
            Seen asBackup = Seen.since(before, a);

            replace(key, K3);
            server.awaitStderrLine(keyLine(key, 3, "primary only"), KEY_LINE_TIMEOUT);
            before = a.tcpExt();
            assertEquals("200", Curl.get(client, SERVICE, port));
            Seen dropped = Seen.since(before, a);

            assertAll(() -> assertEquals(new Seen(1, 0), asBackup, "old primary as backup"),
                    () -> assertEquals(new Seen(0, 1), dropped, "old keys dropped"),
                    () -> assertNoKeyIn(server.stop()));
        }
    }

    /** A key file others may read: one line with the fix, the keys unused, server TFO on with the kernel's key. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void fileReadableByOthersIsRefusedWithTheFix(Jdk jdk) throws IOException {
        Path key = keyFile("open-" + jdk, K1);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Served served = serveTwice(jdk, key);
        String log = served.log;
        String expected = "tfo-agent: server-key=file:'" + key + "' is readable by group or others (fix: chmod 600 '"
                + key + "')";
        assertAll(() -> assertEquals(1, log.lines().filter(l -> l.startsWith(expected)).count(), log),
                () -> assertFalse(log.contains("keys read"), log),
                () -> assertEquals(new Seen(1, 0), served.seen, "server TFO with the kernel's key"),
                () -> assertNoKeyIn(log));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void malformedFileIsOneLineAndTheKernelsKey(Jdk jdk) {
        Path key = keyFile("bad-" + jdk, K1.substring(0, 20) + "zz");
        Served served = serveTwice(jdk, key);
        String log = served.log;
        assertAll(() -> assertEquals(1, log.lines().filter(l -> l.startsWith("tfo-agent: server-key=file:'" + key
                        + "' is not one line of xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx[,backup]")).count(), log),
                () -> assertEquals(new Seen(1, 0), served.seen, "server TFO with the kernel's key"),
                () -> assertFalse(log.contains(K1.substring(0, 8)), log));
    }

    /** What server A's kernel saw of two curls (the first fetches the cookie), and A's log. */
    private record Served(Seen seen, String log) {}

    private static Served serveTwice(Jdk jdk, Path key) {
        int port = PORTS.getAndIncrement();
        try (JvmProcess serverA = serve(jdk, a, key, port)) {
            TcpExtCounters before = a.tcpExt();
            List.of(1, 2).forEach(i -> assertEquals("200", Curl.get(client, SERVICE, port)));
            Seen seen = Seen.since(before, a);
            return new Served(seen, serverA.stop());
        }
    }

    /** Curl twice through A (the first fetches A's cookie, the second shows A takes it), then once through B. */
    private static Seen cookieFromAThenB(int port) {
        assertEquals("200", Curl.get(client, SERVICE, port));
        assertEquals("200", Curl.get(client, SERVICE, port));
        routeTo(toB);
        TcpExtCounters before = b.tcpExt();
        assertEquals("200", Curl.get(client, SERVICE, port));
        return Seen.since(before, b);
    }

    private static JvmProcess serve(Jdk jdk, NetNs ns, Path key, int port) {
        return ServerKind.NIO.start(jdk, ns, Agent.with("server-key=file:" + key), SERVICE, port);
    }

    private static void routeTo(NetNs.Link link) {
        client.run("ip", "route", "replace", SERVICE + "/32", "via", link.peerIpv4(), "src", CLIENT);
    }

    private static String keyLine(Path key, int version, String which) {
        return "tfo-agent: server-key=file:'" + key + "': keys read (version " + version + ": " + which + "), set on 1";
    }

    /** A key file as an operator makes one: mode 600 from the start. */
    private static Path keyFile(String name, String text) {
        Path file = keys.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rotation as documented: a new file renamed over the old one. */
    private static void replace(Path key, String text) {
        Path next = keyFile(key.getFileName() + ".next", text);
        try {
            Files.move(next, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertNoKeyIn(String log) {
        for (String key : List.of(K1, K2, K3)) {
            for (String word : key.split("-")) {
                assertFalse(log.toLowerCase().contains(word), "a key word in the log:\n" + log);
            }
        }
    }

    /** A server namespace's TFO counts over a step. */
    private record Seen(long passive, long passiveFail) {
        static Seen since(TcpExtCounters before, NetNs ns) {
            TcpExtCounters after = ns.tcpExt();
            return new Seen(after.get(TcpExtCounters.PASSIVE) - before.get(TcpExtCounters.PASSIVE),
                    after.get(TcpExtCounters.PASSIVE_FAIL) - before.get(TcpExtCounters.PASSIVE_FAIL));
        }
    }
}
