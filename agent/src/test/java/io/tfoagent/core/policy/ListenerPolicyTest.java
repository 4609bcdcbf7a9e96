package io.tfoagent.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerPolicyTest {

    private static InetSocketAddress at(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<AddressPattern> patterns(String... texts) {
        List<AddressPattern> list = new ArrayList<>();
        for (String t : texts) {
            list.add(AddressPattern.parse(t));
        }
        return list;
    }

    @Test
    void emptyAllowsEverything() {
        ListenerPolicy p = new ListenerPolicy(List.of(), List.of());
        assertTrue(p.allows(at("0.0.0.0", 8080)));
        assertTrue(p.allows(at("::", 1)));
        assertTrue(p.allows(at("198.18.0.2", 65535)));
        assertEquals("", p.describe());
    }

    @Test
    void allowRestricts() {
        ListenerPolicy p = new ListenerPolicy(patterns(":8080", "198.18.0.0/15:443"), List.of());
        assertTrue(p.allows(at("0.0.0.0", 8080)));
        assertTrue(p.allows(at("::", 8080)));
        assertTrue(p.allows(at("198.19.0.1", 443)));
        assertFalse(p.allows(at("198.20.0.1", 443)));
        assertFalse(p.allows(at("198.19.0.1", 8443)));
        assertFalse(p.allows(at("0.0.0.0", 9090)));
    }

    @Test
    void denyAloneExcludes() {
        ListenerPolicy p = new ListenerPolicy(List.of(), patterns("127.0.0.1", "[::1]"));
        assertFalse(p.allows(at("127.0.0.1", 8080)));
        assertFalse(p.allows(at("::1", 8080)));
        assertTrue(p.allows(at("127.0.0.2", 8080)));
        assertTrue(p.allows(at("0.0.0.0", 8080)));
    }

    @Test
    void denyWinsOverAllow() {
        ListenerPolicy p = new ListenerPolicy(patterns("*:8000-8100"), patterns(":8080"));
        assertTrue(p.allows(at("0.0.0.0", 8000)));
        assertFalse(p.allows(at("0.0.0.0", 8080)));
        assertFalse(p.allows(at("0.0.0.0", 9000)));
        ListenerPolicy same = new ListenerPolicy(patterns("10.0.0.1"), patterns("10.0.0.1"));
        assertFalse(same.allows(at("10.0.0.1", 80)));
    }

    @Test
    void v4MappedListenerAddressMatchesIpv4Patterns() throws UnknownHostException {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) 198;
        raw[13] = 18;
        raw[15] = 2;
        InetSocketAddress mapped = new InetSocketAddress(java.net.Inet6Address.getByAddress(null, raw, -1), 443);
        assertFalse(new ListenerPolicy(List.of(), patterns("198.18.0.0/15")).allows(mapped));
        assertTrue(new ListenerPolicy(patterns("198.18.0.2:443"), List.of()).allows(mapped));
    }

    @Test
    void describeListsBoth() {
        assertEquals(" allow [:8080, 198.18.0.0/15:443]",
                new ListenerPolicy(patterns(":8080", "198.18.0.0/15:443"), List.of()).describe());
        assertEquals(" deny [[::1]]", new ListenerPolicy(List.of(), patterns("[::1]")).describe());
        assertEquals(" allow [*:8000-8100] deny [:8080, 127.0.0.1]",
                new ListenerPolicy(patterns("*:8000-8100"), patterns(":8080", "127.0.0.1")).describe());
    }

    @Test
    void policyCopiesItsLists() {
        List<AddressPattern> allow = patterns(":80");
        ListenerPolicy p = new ListenerPolicy(allow, new ArrayList<>());
        allow.add(AddressPattern.parse(":81"));
        assertFalse(p.allows(at("0.0.0.0", 81)));
        assertEquals(" allow [:80]", p.describe());
    }
}
