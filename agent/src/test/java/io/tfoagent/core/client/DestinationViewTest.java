package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationViewTest {
    private static InetSocketAddress at(int port) {
        return new InetSocketAddress("198.18.0.2", port);
    }

    @Test
    void countsConnectionsSavedAndTheMainMiss() {
        DestinationView view = new DestinationView();
        for (int i = 0; i < 5; i++) {
            view.record(at(80), ClientOutcome.ALLOWED);
        }
        view.record(at(80), ClientOutcome.NO_COOKIE);
        view.record(at(80), ClientOutcome.SAVED);
        view.record(at(80), ClientOutcome.SAVED);
        view.record(at(80), ClientOutcome.NOT_REPLAY_SAFE);
        view.record(at(80), ClientOutcome.NOT_REPLAY_SAFE);
        view.record(at(22), ClientOutcome.NOT_ALLOWED);

        List<DestinationView.Row> rows = view.top(10, d -> d.getPort() == 80 ? "backed off" : null);
        assertEquals(2, rows.size());
        DestinationView.Row web = rows.get(0);
        assertEquals("198.18.0.2:80: 5 connections, 2 saved a round trip (40%), missed mostly: not replay-safe (2),"
                + " backed off", web.line());
        assertEquals("198.18.0.2:22: 1 connections, 0 saved a round trip (0%), missed mostly: not allowed (1)",
                rows.get(1).line());
    }

    @Test
    void keepsTheBoundAndForgetsTheLeastUsed() {
        DestinationView view = new DestinationView();
        for (int port = 1; port <= DestinationView.MAX_KEPT; port++) {
            for (int i = 0; i < 1 + port % 3; i++) {
                view.record(at(port), ClientOutcome.ALLOWED);
            }
        }
        view.record(at(60_000), ClientOutcome.ALLOWED); // takes the place of one with a single connection
        List<DestinationView.Row> rows = view.top(Integer.MAX_VALUE, d -> null);
        assertEquals(DestinationView.MAX_KEPT, rows.size());
        assertEquals(3, rows.get(0).connections());
        assertEquals(1, rows.stream().filter(r -> r.destination().equals("198.18.0.2:60000")).count());
        assertEquals(DestinationView.MAX_KEPT / 3, rows.stream().filter(r -> r.connections() == 3).count());
    }

    @Test
    void anOutcomeOfAConnectionCountedBeforeIsNotANewDestination() {
        DestinationView view = new DestinationView();
        view.record(at(80), ClientOutcome.SAVED);
        assertEquals(List.of(), view.top(10, d -> null));
    }

    @Test
    void countersFeedTheViewAndSnapshotEveryCounter() {
        ClientCounters counters = new ClientCounters(false);
        counters.count(ClientOutcome.ALLOWED, at(80));
        counters.count(ClientOutcome.SAVED, at(80));
        Map<String, Long> snapshot = counters.snapshot();
        assertEquals(1L, snapshot.get("Allowed"));
        assertEquals(1L, snapshot.get("SynDataAcked"));
        assertEquals(22, snapshot.size(), snapshot::toString);
        DestinationView.Row row = counters.destinations.top(1, d -> null).get(0);
        assertEquals(100, row.percentSaved());
        assertNull(row.mainMiss());
    }
}
