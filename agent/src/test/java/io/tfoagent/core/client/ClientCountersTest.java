package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tfoagent.core.Decisions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ClientCounters#count: the one place an outcome is counted, recorded for its destination and reported. */
class ClientCountersTest {
    private static final InetSocketAddress WEB = new InetSocketAddress("198.18.0.2", 80);

    private final List<String> events = new ArrayList<>();
    private final ClientCounters counters = new ClientCounters(false);

    ClientCountersTest() {
        counters.reportTo(new Decisions() {
            @Override
            public void decided(String side, InetSocketAddress destination, String outcome, String reason,
                    boolean acked) {
                events.add(side + " " + destination.getPort() + " " + outcome + " " + reason + " " + acked);
            }
        });
    }

    @Test
    void aConnectionThatRodeInTheSynIsOneEventItsLastWord() {
        counters.count(ClientOutcome.ALLOWED, WEB);
        counters.count(ClientOutcome.SAVED, WEB);
        assertEquals(List.of("client 80 syn-data SYN data acked true"), events);
        assertEquals(1L, counters.snapshot().get("SynDataAcked"));
        assertEquals(1, counters.destinations.top(1, d -> null).get(0).saved());
    }

    @Test
    void eventOnlyOutcomesChangeNoAttributeAndNoDestination() {
        Map<String, Long> before = counters.snapshot();
        counters.count(ClientOutcome.ALLOWED, WEB);
        counters.count(ClientOutcome.SYN_DATA_UNSETTLED, WEB);
        Map<String, Long> after = counters.snapshot();
        after.put("Allowed", after.get("Allowed") - 1);
        assertEquals(before, after);
        assertEquals(List.of("client 80 syn-data closed before the handshake ended false"), events);
        assertEquals(1, counters.destinations.top(1, d -> null).get(0).connections());
    }

    @Test
    void anAgentErrorAtConnectIsCountedAmongErrorsAndReported() {
        counters.count(ClientOutcome.ERROR, WEB);
        assertEquals(1L, counters.snapshot().get("Errors"));
        assertEquals(List.of("client 80 skipped agent error false"), events);
        assertEquals(List.of(), counters.destinations.top(1, d -> null));
    }

    @Test
    void everyOutcomeButAllowedIsAnEvent() {
        for (ClientOutcome o : ClientOutcome.values()) {
            counters.count(o, WEB);
        }
        assertEquals(ClientOutcome.values().length - 1, events.size(), events::toString);
    }
}
