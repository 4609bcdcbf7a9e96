package io.tfoagent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tfoagent.core.client.ClientCounters;
import io.tfoagent.core.server.ServerCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersLineTest {
    /** Every counter of the client side at 0 but {@code set}. */
    private static Map<String, Long> client(Map<String, Long> set) {
        Map<String, Long> c = new ClientCounters(false).snapshot();
        c.putAll(set);
        return c;
    }

    @Test
    void clientSharesAndReasonsAddUp() {
        // 10 allowed - 6 acked - 1 no cookie - 2 not replay-safe: one still opening
        Map<String, Long> c = client(Map.of("Allowed", 10L, "NotAllowed", 5L, "SynDataAcked", 6L, "CookieMiss", 1L,
                "NotReplaySafe", 2L));
        Map<String, Long> kernel = new LinkedHashMap<>();
        kernel.put("TCPFastOpenActive", 6L);
        kernel.put("TCPFastOpenBlackhole", 0L);
        assertEquals("counters: client 6 of 15 connections saved a round trip (40%), missed: 5 not allowed,"
                + " 1 no cookie yet, 2 not replay-safe, 1 opening or failed; kernel TcpExt since start:"
                + " TCPFastOpenActive +6, TCPFastOpenBlackhole +0", CountersLine.of(null, c, null, kernel));
    }

    @Test
    void serverAndAnUnreadableKernel() {
        Map<String, Long> s = new ServerCounters(false).snapshot();
        s.putAll(Map.of("AcceptedSynData", 7L, "AcceptedFastOpen", 8L, "Accepted", 10L));
        assertEquals("counters: server 7 of 10 accepted connections saved a round trip (70%), missed: 2 not by TFO,"
                + " 1 by TFO with an empty SYN; client 0 of 0 connections saved a round trip; kernel TcpExt since"
                + " start: unreadable", CountersLine.of(s, client(Map.of()), Map.of(), null));
    }

    @Test
    void aStageCountedTwiceNeverMakesANegativeRemainder() {
        Map<String, Long> c = client(Map.of("Allowed", 1L, "NotReplaySafe", 2L, "Errors", 1L));
        assertEquals("counters: client 0 of 1 connections saved a round trip (0%), missed: 2 not replay-safe,"
                + " 1 agent errors; kernel TcpExt since start: unreadable", CountersLine.of(null, c, null, null));
    }

    @Test
    void socketsThroughPathsTheAgentDoesNotHandleAreNamedBesideTheSides() {
        Map<String, Long> c = client(Map.of("Allowed", 2L, "SynDataAcked", 2L));
        assertEquals("counters: client 2 of 2 connections saved a round trip (100%); not covered: 3 Netty epoll"
                + " client connects; kernel TcpExt since start: unreadable",
                CountersLine.of(null, c, Map.of("Netty epoll client connects", 3L), null));
    }

    @Test
    void aKernelNotReadYetIsNotCalledUnreadable() {
        assertEquals("counters: client 0 of 0 connections saved a round trip; kernel TcpExt since start: not read yet",
                CountersLine.of(null, client(Map.of()), null, new KernelTfoCounters().sinceStart()));
    }
}
