package io.tfoagent.core.policy;

import static io.tfoagent.core.policy.DestinationPolicy.Decision.ALLOWED;
import static io.tfoagent.core.policy.DestinationPolicy.Decision.DENIED;
import static io.tfoagent.core.policy.DestinationPolicy.Decision.NOT_ALLOWED;
import static io.tfoagent.core.policy.DestinationPolicy.Decision.SERVER_SPEAKS_FIRST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationPolicyTest {
    private static final InetAddress TEST_NET = ip("198.18.0.2");
    private static final InetAddress ELSEWHERE = ip("10.0.0.1");

    /** A literal, parsed without DNS. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<HostPattern> patterns(String... texts) {
        List<HostPattern> list = new ArrayList<>();
        for (String t : texts) {
            list.add(HostPattern.parse(t));
        }
        return list;
    }

    private static DestinationPolicy allow(String... texts) {
        return new DestinationPolicy(patterns(texts), List.of(), List.of());
    }

    // --- allow and deny ---

    @Test
    void noAllowEntriesMeansClientTfoOff() {
        DestinationPolicy none = new DestinationPolicy(List.of(), List.of(), List.of());
        assertFalse(none.clientEnabled());
        assertEquals(NOT_ALLOWED, none.decide("api.example.com", TEST_NET, 443));
        assertEquals(NOT_ALLOWED, none.decide(null, ip("::1"), 80));
        DestinationPolicy denyOnly = new DestinationPolicy(List.of(), patterns("*.example.com"), List.of());
        assertFalse(denyOnly.clientEnabled());
        assertEquals(NOT_ALLOWED, denyOnly.decide("other.net", TEST_NET, 443));
        assertEquals(DENIED, denyOnly.decide("api.example.com", TEST_NET, 443));
    }

    @Test
    void allowEntriesMatchByNameOrAddress() {
        DestinationPolicy p = allow("api.example.com:443", "198.18.0.0/15");
        assertTrue(p.clientEnabled());
        assertEquals(ALLOWED, p.decide("api.example.com", ELSEWHERE, 443));
        assertEquals(NOT_ALLOWED, p.decide("api.example.com", ELSEWHERE, 8443));
        assertEquals(NOT_ALLOWED, p.decide(null, ELSEWHERE, 443));
        assertEquals(ALLOWED, p.decide(null, TEST_NET, 8443));
        assertEquals(ALLOWED, p.decide("unrelated.net", TEST_NET, 80));
        assertEquals(NOT_ALLOWED, p.decide("unrelated.net", ELSEWHERE, 80));
    }

    @Test
    void denyWins() {
        DestinationPolicy sameEntry = new DestinationPolicy(patterns("api.example.com"), patterns("api.example.com"),
                List.of());
        assertEquals(DENIED, sameEntry.decide("api.example.com", TEST_NET, 443));
        // Deny by address beats allow by name, and the other way round.
        DestinationPolicy mixed = new DestinationPolicy(patterns("*.example.com", "198.18.0.0/15"),
                patterns("198.18.0.2", "internal.example.com"), List.of());
        assertEquals(DENIED, mixed.decide("api.example.com", TEST_NET, 443));
        assertEquals(DENIED, mixed.decide("internal.example.com", ELSEWHERE, 443));
        assertEquals(ALLOWED, mixed.decide("api.example.com", ELSEWHERE, 443));
        assertEquals(ALLOWED, mixed.decide(null, ip("198.18.0.3"), 443));
        // A deny also beats an allow that names a server-first port.
        DestinationPolicy mail = new DestinationPolicy(patterns("mail.example.com:25"), patterns(":25"), List.of());
        assertEquals(DENIED, mail.decide("mail.example.com", TEST_NET, 25));
    }

    @Test
    void v4MappedAddressesMatchIpv4Entries() throws UnknownHostException {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) 198;
        raw[13] = 18;
        raw[15] = 2;
        InetAddress mapped = Inet6Address.getByAddress(null, raw, -1);
        assertEquals(ALLOWED, allow("198.18.0.0/15:443").decide(null, mapped, 443));
        assertEquals(DENIED, new DestinationPolicy(patterns("*"), patterns("198.18.0.2"), List.of())
                .decide(null, mapped, 443));
    }

    // --- server-speaks-first ports ---

    @ParameterizedTest
    @ValueSource(ints = {21, 22, 23, 25, 110, 119, 143, 587, 3306, 5900})
    void serverFirstPortsAreExcludedFromBroadEntries(int port) {
        assertEquals(SERVER_SPEAKS_FIRST, allow("*").decide("mail.example.com", TEST_NET, port));
        assertEquals(SERVER_SPEAKS_FIRST, allow("*.example.com").decide("mail.example.com", TEST_NET, port));
        assertEquals(SERVER_SPEAKS_FIRST, allow("198.18.0.0/15").decide(null, TEST_NET, port));
        assertEquals(SERVER_SPEAKS_FIRST, allow("mail.example.com").decide("mail.example.com", TEST_NET, port));
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 24, 80, 389, 443, 1433, 3307, 5222, 465, 993, 995, 5432, 6379, 6667, 11211})
    void clientFirstPortsAreAllowed(int port) {
        // PostgreSQL, LDAP, MS SQL, Redis, memcached, XMPP and IRC among them: the client speaks first.
        assertEquals(ALLOWED, allow("*").decide("db.example.com", TEST_NET, port));
    }

    @Test
    void serverFirstPortIsAllowedWhereAnEntryNamesIt() {
        DestinationPolicy byName = allow("mail.example.com:25");
        assertEquals(ALLOWED, byName.decide("mail.example.com", TEST_NET, 25));
        assertEquals(NOT_ALLOWED, byName.decide("mail.example.com", TEST_NET, 587));
        DestinationPolicy byRange = allow("198.18.0.0/15:20-30");
        assertEquals(ALLOWED, byRange.decide(null, TEST_NET, 22));
        assertEquals(ALLOWED, byRange.decide(null, TEST_NET, 25));
        assertEquals(NOT_ALLOWED, byRange.decide(null, TEST_NET, 110));
        assertEquals(ALLOWED, allow("*:0-65535").decide(null, TEST_NET, 3306));
        assertEquals(ALLOWED, allow("*.example.com:587").decide("smtp.example.com", TEST_NET, 587));
    }

    @Test
    void onlyAMatchingEntryCanNameThePort() {
        DestinationPolicy p = allow("*", "mail.example.com:25");
        assertEquals(ALLOWED, p.decide("mail.example.com", TEST_NET, 25));
        assertEquals(SERVER_SPEAKS_FIRST, p.decide("other.example.com", TEST_NET, 25));
        assertEquals(SERVER_SPEAKS_FIRST, p.decide(null, TEST_NET, 25));
        // Entry order does not matter.
        DestinationPolicy reversed = allow("mail.example.com:25", "*");
        assertEquals(ALLOWED, reversed.decide("mail.example.com", TEST_NET, 25));
        assertEquals(SERVER_SPEAKS_FIRST, reversed.decide("other.example.com", TEST_NET, 25));
    }

    // --- trust ---

    @Test
    void trustedIsSetByTrustEntriesOnly() {
        DestinationPolicy p = new DestinationPolicy(patterns("*"), List.of(),
                patterns("cache.example.com:11211", "198.18.0.0/15:6379"));
        assertTrue(p.trusted("CACHE.example.com", ELSEWHERE, 11211));
        assertFalse(p.trusted("cache.example.com", ELSEWHERE, 11212));
        assertFalse(p.trusted(null, ELSEWHERE, 11211));
        assertTrue(p.trusted(null, TEST_NET, 6379));
        assertFalse(p.trusted(null, TEST_NET, 6380));
        assertFalse(allow("*").trusted("cache.example.com", TEST_NET, 11211), "allow does not imply trust");
    }

    // --- describe and copies ---

    @Test
    void describeListsTheEntriesAsWritten() {
        assertEquals("allow []", new DestinationPolicy(List.of(), List.of(), List.of()).describe());
        assertEquals("allow [*.example.com:443, 198.18.0.0/15]",
                allow("*.example.com:443", "198.18.0.0/15").describe());
        assertEquals("allow [*] deny [[::1], internal.example.com] trust [cache.example.com:11211]",
                new DestinationPolicy(patterns("*"), patterns("[::1]", "internal.example.com"),
                        patterns("cache.example.com:11211")).describe());
        assertEquals("allow [*] trust [Cache.Example.com]",
                new DestinationPolicy(patterns("*"), List.of(), patterns("Cache.Example.com")).describe());
    }

    @Test
    void policyCopiesItsLists() {
        List<HostPattern> allowList = patterns("api.example.com");
        List<HostPattern> denyList = new ArrayList<>();
        List<HostPattern> trustList = new ArrayList<>();
        DestinationPolicy p = new DestinationPolicy(allowList, denyList, trustList);
        allowList.add(HostPattern.parse("*"));
        denyList.add(HostPattern.parse("api.example.com"));
        trustList.add(HostPattern.parse("*"));
        assertEquals(ALLOWED, p.decide("api.example.com", TEST_NET, 443));
        assertEquals(NOT_ALLOWED, p.decide("other.example.com", TEST_NET, 443));
        assertFalse(p.trusted("api.example.com", TEST_NET, 443));
        assertEquals("allow [api.example.com]", p.describe());
    }
}
