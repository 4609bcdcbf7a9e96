package io.tfoagent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersLineTest {
    private static Map<String, Long> client() {
        Map<String, Long> c = new LinkedHashMap<>();
        for (String name : new String[] {"SynDataAcked", "SynDataNotAcked", "ClosedUnwritten", "OpenedIdle",
            "ReadFirst", "TooLargeWithTimeout", "NotReplaySafe", "CookieMiss", "BackedOff", "AfterFailure",
            "NotReady", "ConnectThenClose", "ServerSpeaksFirst", "Denied", "NotAllowed", "Allowed", "Errors"}) {
            c.put(name, 0L);
        }
        return c;
    }

    @Test
    void clientSharesAndReasonsAddUp() {
        Map<String, Long> c = client();
        c.put("Allowed", 10L);
        c.put("NotAllowed", 5L);
        c.put("SynDataAcked", 6L);
        c.put("CookieMiss", 1L);
        c.put("NotReplaySafe", 2L); // 10 - 6 - 1 - 2: one still opening
        Map<String, Long> kernel = new LinkedHashMap<>();
        kernel.put("TCPFastOpenActive", 6L);
        kernel.put("TCPFastOpenBlackhole", 0L);
        assertEquals("counters: client 6 of 15 connections saved a round trip (40%), missed: 5 not allowed,"
                + " 1 no cookie yet, 2 not replay-safe, 1 opening or failed; kernel TcpExt since start:"
                + " TCPFastOpenActive +6, TCPFastOpenBlackhole +0", CountersLine.of(null, c, kernel));
    }

    @Test
    void serverAndAnUnreadableKernel() {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("AcceptedSynData", 7L);
        s.put("AcceptedFastOpen", 8L);
        s.put("Accepted", 10L);
        assertEquals("counters: server 7 of 10 accepted connections saved a round trip (70%), missed: 2 not by TFO,"
                + " 1 by TFO with an empty SYN; client 0 of 0 connections saved a round trip; kernel TcpExt since"
                + " start: unreadable", CountersLine.of(s, client(), null));
    }

    @Test
    void aStageCountedTwiceNeverMakesANegativeRemainder() {
        Map<String, Long> c = client();
        c.put("Allowed", 1L);
        c.put("NotReplaySafe", 2L);
        c.put("Errors", 1L);
        assertEquals("counters: client 0 of 1 connections saved a round trip (0%), missed: 2 not replay-safe,"
                + " 1 agent errors; kernel TcpExt since start: unreadable", CountersLine.of(null, c, null));
    }
}
