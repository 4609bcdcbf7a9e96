package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpExtCountersTest {

    private static final String SAMPLE = ""
            + "TcpExt: SyncookiesSent SyncookiesRecv TW DelayedACKs TCPFastOpenActive TCPFastOpenActiveFail"
            + " TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow TCPFastOpenCookieReqd"
            + " TCPFastOpenBlackhole TCPDelivered\n"
            + "TcpExt: 0 0 10 15 2 1 3 4 5 6 7 9876543210\n"
            + "IpExt: InNoRoutes InTruncatedPkts InOctets OutOctets\n"
            + "IpExt: 0 0 184857616 160114\n"
            + "MPTcpExt: MPCapableSYNRX MPCapableSYNTX\n"
            + "MPTcpExt: 11 12\n";

    @Test
    void parsesTcpExtCounters() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse(SAMPLE);
        assertEquals(2, c.get(TcpExtCounters.ACTIVE));
        assertEquals(1, c.get(TcpExtCounters.ACTIVE_FAIL));
        assertEquals(3, c.get(TcpExtCounters.PASSIVE));
        assertEquals(4, c.get(TcpExtCounters.PASSIVE_FAIL));
        assertEquals(5, c.get(TcpExtCounters.LISTEN_OVERFLOW));
        assertEquals(6, c.get(TcpExtCounters.COOKIE_REQUIRED));
        assertEquals(7, c.get(TcpExtCounters.BLACKHOLE));
        assertEquals(10, c.get("TW"));
        assertEquals(15, c.get("DelayedACKs"));
        assertEquals(9876543210L, c.get("TCPDelivered"));
        assertEquals(12, c.all().size());
        assertEquals(List.of("SyncookiesSent", "SyncookiesRecv", "TW", "DelayedACKs"),
                List.copyOf(c.all().keySet()).subList(0, 4));
    }

    @Test
    void otherSectionsAreNotMixedIn() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse(SAMPLE);
        assertEquals(0, c.get("InOctets"));
        assertEquals(0, c.get("MPCapableSYNRX"));
        assertTrue(!c.all().containsKey("InOctets"));
    }

    @Test
    void tcpExtAfterOtherSectionsIsFound() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse("IpExt: InNoRoutes\nIpExt: 5\nTcpExt: TCPFastOpenActive\nTcpExt: 42\n");
        assertEquals(42, c.get(TcpExtCounters.ACTIVE));
        assertEquals(0, c.get("InNoRoutes"));
    }

    @Test
    void missingCounterIsZero() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse("TcpExt: SyncookiesSent TW\nTcpExt: 1 2\n");
        assertEquals(0, c.get(TcpExtCounters.ACTIVE));
        assertEquals(0, c.get(TcpExtCounters.BLACKHOLE));
        assertEquals(2, c.get("TW"));
    }

    @Test
    void countersAreReadOnly() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse(SAMPLE);
        assertThrows(UnsupportedOperationException.class, () -> c.all().put("x", 1L));
    }

    @Test
    void noTcpExtIsAnIOException() {
        assertThrows(IOException.class, () -> TcpExtCounters.parse("IpExt: InNoRoutes\nIpExt: 0\n"));
        assertThrows(IOException.class, () -> TcpExtCounters.parse(""));
        // A header without its values line.
        assertThrows(IOException.class, () -> TcpExtCounters.parse("TcpExt: TCPFastOpenActive\n"));
        // Header and values that do not line up.
        assertThrows(IOException.class, () -> TcpExtCounters.parse("TcpExt: A B\nTcpExt: 1\n"));
    }

    @Test
    void readsThisMachine() throws IOException {
        TcpExtCounters c = TcpExtCounters.read();
        assertTrue(c.all().containsKey(TcpExtCounters.ACTIVE), c.all().keySet().toString());
        assertTrue(c.all().containsKey(TcpExtCounters.PASSIVE));
        assertTrue(c.get(TcpExtCounters.ACTIVE) >= 0);
        assertTrue(c.all().size() > 50, "size " + c.all().size());
    }
}
