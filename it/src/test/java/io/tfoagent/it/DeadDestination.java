package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A destination whose cookie the client namespace has cached and which then dies (every packet
 * to it dropped by {@link Nft.Fault#DEAD}): with TFO, {@code connect()} to it returns at once and
 * nothing answers what follows. The cookie is fetched by curl, whose cache is the namespace's.
 */
final class DeadDestination {
    private DeadDestination() {}

    /** Forgets the client's cookies, fetches one for {@code host} with two curl GETs, then kills the host. */
    static void cacheCookieThenDie(NetNs client, NetNs server, String host, int port) {
        Nft.clear(server);
        FaultHosts.forgetCookies(client);
        assertEquals("200", Curl.get(client, host, port), "curl before the outage");
        assertEquals("200", Curl.get(client, host, port), "curl before the outage");
        String metrics = client.run("ip", "tcp_metrics", "show", host);
        assertTrue(metrics.contains("fo_cookie"), "no TFO cookie cached for " + host + ": " + metrics);
        Nft.apply(server, Nft.Fault.DEAD, host, port);
    }
}
