package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfoagent.it.faults.CarrierPinningClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads on one carrier (DESIGN.md §4 hazard 16, issue 8; JDK 25 only): a virtual thread
 * ticks every 10 ms while others connect with a 1 s connect timeout to a dead destination (its
 * cookie cached, then every packet dropped) and to a live one ({@link CarrierPinningClient}). With
 * the agent, as without it, no gap between two ticks may exceed {@value #MAX_GAP_MILLIS} ms, and
 * every request to the live destination succeeds. Fails on today's agent: its native poll for the
 * SYN-ACK pins the only carrier (~1,035 ms gaps). The run without the agent is the control: if it
 * fails too, the machine was too busy to tell.
 */
class VirtualThreadPinningIT extends TwoHostsTest {
    private static final String DEAD = "198.18.0.41";
    private static final String LIVE = "198.18.0.42";
    private static final long MAX_GAP_MILLIS = 100;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> ONE_CARRIER = List.of("-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1");

    @TempDir
    static Path nginxDir;
    private static Nginx nginx;

    @BeforeAll
    static void addressesAndServer() {
        nginx = FaultHosts.serve(server, nginxDir, List.of(DEAD, LIVE));
    }

    @AfterAll
    static void stopServer() {
        FaultHosts.stop(nginx, server);
    }

    @Test
    void aDeadDestinationNeverPinsTheOnlyCarrier() {
        Jdk jdk = Jdks.all().filter(j -> j.name().equals("jdk25")).findFirst().orElseThrow();
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21+; " + jdk + " is " + jdk.feature());
        String without = run(jdk, Agent.NONE);
        String with = run(jdk, FaultRun.agent());
        String seen = "--- with the agent\n" + with + "\n--- without\n" + without;
        System.out.println("VirtualThreadPinningIT\n" + seen);
        assertAll(
                () -> assertTrue(maxGap(without) <= MAX_GAP_MILLIS, "control without the agent: gap " + maxGap(without)
                        + " ms (machine too busy?)\n" + seen),
                () -> assertTrue(maxGap(with) <= MAX_GAP_MILLIS, "with the agent the ticker stopped for "
                        + maxGap(with) + " ms (allowed " + MAX_GAP_MILLIS + "): the carrier was pinned\n" + seen),
                () -> assertEquals("LIVE 15 0", line(with, "LIVE "), "requests to the live destination\n" + seen),
                () -> assertEquals("LIVE 15 0", line(without, "LIVE "), "control: requests to the live destination\n"
                        + seen));
    }

    private static String run(Jdk jdk, List<String> agent) {
        DeadDestination.cacheCookieThenDie(client, server, DEAD, FaultHosts.HTTP_PORT);
        List<String> jvm = new ArrayList<>(agent);
        jvm.addAll(ONE_CARRIER);
        try (JvmProcess p = JvmProcess.start(jdk, client, jvm, CarrierPinningClient.class,
                List.of(DEAD, LIVE, String.valueOf(FaultHosts.HTTP_PORT)))) {
            p.awaitExit(CLIENT_TIMEOUT);
            return p.stdout() + "\n" + p.stderr().lines().filter(l -> l.startsWith("tfo-agent")).reduce("", (a, b) -> a + b + "\n");
        } finally {
            Nft.clear(server);
        }
    }

    private static long maxGap(String out) {
        String l = line(out, "MAXGAP ");
        return l.isEmpty() ? Long.MAX_VALUE : Long.parseLong(l.substring("MAXGAP ".length()).trim());
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }
}
