package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tfoagent.it.FaultRun.Outcome;
import io.tfoagent.it.rtt.DelayLine;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database half of issue 9's client matrix ({@link ClientMatrixIT} has the HTTP stacks):
 * pgjdbc against Debian's PostgreSQL and Jedis against Debian's redis-server ({@link DatabaseServer}),
 * each on both JDKs across a delay line of {@value #RTT_MILLIS} ms RTT, the kernels' counters the
 * oracle. Their clients speak first, and what they say is no HTTP: the agent cannot tell it is
 * replay-safe, so without {@code trust=} every connection opens with a bare SYN; with
 * {@code trust=HOST:PORT} the first write (pgjdbc's SSLRequest, Jedis's first command) rides in it.
 * The server namespace runs {@code net.ipv4.tcp_fastopen=}{@link DatabaseServer#SYSCTL}, so the
 * servers' listeners take SYN data as they would behind a TFO-enabled host.
 *
 * <p>A cell is one JVM with the agent: a warm-up request (the cookie), then {@value #REQUESTS}
 * requests, each on a fresh connection; then the server is stopped and one more request made.
 * Beside it one JVM without the agent makes the same requests. The oracles, none of them the
 * agent's: an nftables counter at the server of SYNs longer than a bare one with a cookie
 * ({@link Nft.Fault#ANY_SYN_DATA_COUNTED}: pgjdbc's SSLRequest is 8 bytes), the client namespace's
 * TCPFastOpenActive (SYN data acked: the round trip saved) and TCPFastOpenActiveFail, and the server
 * namespace's TCPFastOpenPassive (connections opened on the cookie, with data or not).
 * {@link #bareSynUnlessTrusted}: no SYN data (0 counted, Active + ActiveFail 0), yet every SYN
 * carries the cookie (Passive &gt;= N-1). {@link #trustedStartupRidesInTheSyn}: SYN data counted,
 * acked and opened on &gt;= N-1. Medians with and without the agent are printed, not asserted: a
 * PostgreSQL backend's fork costs more, and varies more on a loaded machine, than one 4 ms round
 * trip. In both, every request answers right and the one to the stopped server ends with the
 * exception class it has without the agent ({@link Observed#commonChecks}).
 */
class DatabaseClientMatrixIT extends TwoHostsTest {
    private static final int REQUESTS = 10;
    private static final long RTT_MILLIS = 4;

    @TempDir
    static Path dataDir;
    private static DelayLine line;
    /** The server's end of the delay line, where the servers listen. */
    private static String host;
    private static final Map<DatabaseServer, Path> PREPARED = new EnumMap<>(DatabaseServer.class);
    private static final Map<DatabaseServer, ServerProcess> RUNNING = new EnumMap<>(DatabaseServer.class);

    @BeforeAll
    static void delayLine() {
        line = DelayLine.start(client.toString(), server.toString(), Duration.ofMillis(RTT_MILLIS));
        host = line.b().ipv4();
        server.sysctl("net.ipv4.tcp_fastopen", DatabaseServer.SYSCTL);
    }

    @AfterAll
    static void stopServers() {
        try (DelayLine l = line) {
            RUNNING.values().forEach(ServerProcess::close);
        } finally {
            RUNNING.clear();
            PREPARED.clear();
        }
    }

    static Stream<Arguments> servers() {
        return Jdks.crossedWith((Object[]) DatabaseServer.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("servers")
    void bareSynUnlessTrusted(Jdk jdk, DatabaseServer db) {
        Observed o = observe(jdk, db, false);

        assertAll(o.commonChecks(),
                () -> assertEquals(0, o.synData, () -> "SYN data the agent could not know to be replay-safe\n" + o),
                () -> assertEquals(0, o.active + o.activeFail, () -> "the client sent SYN data\n" + o),
                () -> assertTrue(o.passive >= REQUESTS - 1, () -> "the bare SYNs did not open on the cookie\n" + o));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("servers")
    void trustedStartupRidesInTheSyn(Jdk jdk, DatabaseServer db) {
        Observed o = observe(jdk, db, true);

        assertAll(o.commonChecks(),
                () -> assertTrue(o.synData >= REQUESTS - 1, () -> "first writes not in the SYN\n" + o),
                () -> assertTrue(o.active >= REQUESTS - 1, () -> "SYN data not acked\n" + o),
                () -> assertTrue(o.passive >= REQUESTS - 1, () -> "the server did not open on the cookie\n" + o));
    }

    /**
     * Runs a cell with the agent and without it, and collects what the kernels and the runs saw: the
     * client namespace's TcpExt, the server's, and an nftables counter of SYNs with data at the server.
     */
    private static Observed observe(Jdk jdk, DatabaseServer db, boolean trusted) {
        String missing = db.missing();
        if (missing != null) {
            fail(missing); // as Nginx does: .ci/run installs the servers, a run without them proves nothing
        }
        String name = db + (trusted ? " trusted" : "");
        List<String> agent = Agent.with(ClientPeerJvm.CLIENT_OPTIONS + (trusted ? ",trust=" + host + ":" + db.port
                : ""));
        Observed o = new Observed();
        ensureRunning(db);
        FaultHosts.forgetCookies(client);
        try (FaultRun without = FaultRun.start(jdk, db.client, name, client, List.of(), null,
                SuiteProperties.childClasspath());
                FaultRun with = FaultRun.start(jdk, db.client, name, client, agent, null,
                        SuiteProperties.childClasspath())) {
            o.warmUpWithout = without.request(host, db.port);
            o.requestsWithout = without.requests(host, db.port, REQUESTS);
            o.warmUp = with.request(host, db.port);
            TcpExtCounters client0 = client.tcpExt();
            long passive0 = server.tcpExt().get(TcpExtCounters.PASSIVE);
            Nft.apply(server, Nft.Fault.ANY_SYN_DATA_COUNTED, host, db.port);
            o.requests = with.requests(host, db.port, REQUESTS);
            o.synData = Nft.matched(server);
            Nft.clear(server);
            TcpExtCounters client1 = client.tcpExt();
            o.active = client1.get(TcpExtCounters.ACTIVE) - client0.get(TcpExtCounters.ACTIVE);
            o.activeFail = client1.get(TcpExtCounters.ACTIVE_FAIL) - client0.get(TcpExtCounters.ACTIVE_FAIL);
            o.passive = server.tcpExt().get(TcpExtCounters.PASSIVE) - passive0;
            RUNNING.remove(db).close();
            o.refused = with.request(host, db.port);
            o.refusedWithout = without.request(host, db.port);
            with.finish();
            without.finish();
            o.stderr = with.stderr();
        }
        System.out.println("DatabaseClientMatrixIT " + jdk + " " + name + ": " + o.toString().lines().findFirst()
                .orElse(""));
        return o;
    }

    /** The server of {@code db} up (prepared once per class): the cell before may have stopped it. */
    private static void ensureRunning(DatabaseServer db) {
        Path dir = PREPARED.computeIfAbsent(db, d -> {
            Path p = dataDir.resolve(d.name().toLowerCase(Locale.ROOT));
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            d.prepare(p, line.a().ipv4());
            return p;
        });
        RUNNING.computeIfAbsent(db, d -> d.start(server, dir, host));
    }

    /** What one cell's two runs showed. */
    private static final class Observed {
        Outcome warmUp;
        List<Outcome> requests;
        List<Outcome> requestsWithout;
        Outcome refused;
        Outcome warmUpWithout;
        Outcome refusedWithout;
        long synData;
        long active;
        long activeFail;
        long passive;
        String stderr;

        /**
         * Every request answered right, and the one to the stopped server ended with the exception class
         * it has without the agent, a connect failure among its causes if it has one there. Not its
         * causes otherwise: Jedis keeps its own connect's ConnectException as a suppressed exception of
         * "Failed to connect to HOST:PORT.", while the agent's deferred connect fails in Jedis's first
         * read, which Jedis wraps with the ConnectException as the cause.
         */
        org.junit.jupiter.api.function.Executable commonChecks() {
            return () -> {
                List<Outcome> all = new ArrayList<>(List.of(warmUp));
                all.addAll(requests);
                List<Outcome> allWithout = new ArrayList<>(List.of(warmUpWithout));
                allWithout.addAll(requestsWithout);
                assertAll(
                        () -> assertEquals(Collections.nCopies(1 + REQUESTS, "200"),
                                all.stream().map(Outcome::kind).toList(), this::toString),
                        () -> assertEquals(Collections.nCopies(1 + REQUESTS, "200"),
                                allWithout.stream().map(Outcome::kind).toList(), this::toString),
                        () -> assertTrue(!refused.ok(), this::toString),
                        () -> assertEquals(refusedWithout.exceptionClass(), refused.exceptionClass(),
                                () -> "the stopped server: not the same exception class as without the agent\n" + this),
                        () -> assertTrue(refused.connectLike() || !refusedWithout.connectLike(),
                                () -> "the stopped server: no longer a connect failure\n" + this));
            };
        }

        private static long median(List<Outcome> outcomes) {
            List<Long> ms = outcomes.stream().map(Outcome::millis).sorted().toList();
            return ms.get(ms.size() / 2);
        }

        @Override
        public String toString() {
            return "SYNs with data at the server " + synData + ", client TCPFastOpenActive " + active + " (Fail "
                    + activeFail + "), server TCPFastOpenPassive " + passive + "; median " + median(requests)
                    + " ms, without the agent " + median(requestsWithout) + " ms\nwarm-up " + warmUp + "\nrequests "
                    + requests + "\nrequests without the agent " + requestsWithout
                    + "\nstopped server, with the agent: " + refused + "\nstopped server, without: " + refusedWithout
                    + " (warm-up " + warmUpWithout + ")\n--- stderr with the agent (tail)\n" + StreamLines.tail(stderr, 30);
        }

    }
}
