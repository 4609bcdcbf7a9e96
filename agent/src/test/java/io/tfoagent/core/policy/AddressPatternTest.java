package io.tfoagent.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPatternTest {

    /** A literal, parsed without DNS. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean matches(String pattern, String address, int port) {
        return AddressPattern.parse(pattern).matches(ip(address), port);
    }

    private static InetAddress v4Mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) a;
        raw[13] = (byte) b;
        raw[14] = (byte) c;
        raw[15] = (byte) d;
        return InetAddress.getByAddress(raw);
    }

    /** A v4-mapped address kept as an Inet6Address (InetAddress.getByAddress would unmap it). */
    private static InetAddress v4MappedInet6(int a, int b, int c, int d) throws UnknownHostException {
        byte[] raw = v4MappedRaw(a, b, c, d);
        return Inet6Address.getByAddress(null, raw, -1);
    }

    private static byte[] v4MappedRaw(int a, int b, int c, int d) {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) a;
        raw[13] = (byte) b;
        raw[14] = (byte) c;
        raw[15] = (byte) d;
        return raw;
    }

    // --- any address / ports only ---

    @Test
    void starMatchesEverything() {
        AddressPattern p = AddressPattern.parse("*");
        assertTrue(p.matches(ip("198.18.0.2"), 80));
        assertTrue(p.matches(ip("2001:2::1"), 0));
        assertTrue(p.matches(ip("127.0.0.1"), 65535));
        assertEquals("*", p.toString());
    }

    @Test
    void portOnly() {
        AddressPattern p = AddressPattern.parse(":8080");
        assertTrue(p.matches(ip("198.18.0.2"), 8080));
        assertTrue(p.matches(ip("::1"), 8080));
        assertFalse(p.matches(ip("198.18.0.2"), 8081));
        assertFalse(p.matches(ip("198.18.0.2"), 8079));
        assertEquals(":8080", p.toString());
    }

    @Test
    void starWithPortRangeEdges() {
        AddressPattern p = AddressPattern.parse("*:8000-8100");
        assertFalse(p.matches(ip("10.0.0.1"), 7999));
        assertTrue(p.matches(ip("10.0.0.1"), 8000));
        assertTrue(p.matches(ip("10.0.0.1"), 8050));
        assertTrue(p.matches(ip("2001:2::1"), 8100));
        assertFalse(p.matches(ip("10.0.0.1"), 8101));
    }

    @Test
    void fullPortRangeAndZero() {
        AddressPattern p = AddressPattern.parse(":0-65535");
        assertTrue(p.matches(ip("10.0.0.1"), 0));
        assertTrue(p.matches(ip("10.0.0.1"), 65535));
        assertTrue(AddressPattern.parse(":65535").matches(ip("10.0.0.1"), 65535));
        assertFalse(AddressPattern.parse(":65535").matches(ip("10.0.0.1"), 65534));
        assertTrue(AddressPattern.parse(":0").matches(ip("10.0.0.1"), 0));
        assertTrue(AddressPattern.parse(":443-443").matches(ip("10.0.0.1"), 443));
        assertFalse(AddressPattern.parse(":443-443").matches(ip("10.0.0.1"), 444));
    }

    // --- IPv4 ---

    @Test
    void singleIpv4MatchesAnyPort() {
        AddressPattern p = AddressPattern.parse("198.18.0.2");
        assertTrue(p.matches(ip("198.18.0.2"), 1));
        assertTrue(p.matches(ip("198.18.0.2"), 65535));
        assertFalse(p.matches(ip("198.18.0.3"), 1));
        assertFalse(p.matches(ip("198.18.1.2"), 1));
        assertFalse(p.matches(ip("2001:2::1"), 1));
    }

    @Test
    void ipv4Block() {
        AddressPattern p = AddressPattern.parse("198.18.0.0/15");
        assertTrue(p.matches(ip("198.18.0.0"), 80));
        assertTrue(p.matches(ip("198.18.200.7"), 80));
        assertTrue(p.matches(ip("198.19.255.255"), 80));
        assertFalse(p.matches(ip("198.20.0.0"), 80));
        assertFalse(p.matches(ip("198.17.255.255"), 80));
        assertFalse(p.matches(ip("199.18.0.0"), 80));
    }

    @Test
    void ipv4BlockWithHostBitsSetStillMeansTheBlock() {
        AddressPattern p = AddressPattern.parse("198.18.7.9/16");
        assertTrue(p.matches(ip("198.18.0.1"), 80));
        assertFalse(p.matches(ip("198.19.7.9"), 80));
    }

    @Test
    void ipv4PrefixEdges() {
        AddressPattern all = AddressPattern.parse("0.0.0.0/0");
        assertTrue(all.matches(ip("1.2.3.4"), 1));
        assertTrue(all.matches(ip("255.255.255.255"), 1));
        assertFalse(all.matches(ip("2001:2::1"), 1), "an IPv4 block does not match IPv6");
        AddressPattern host = AddressPattern.parse("10.1.2.3/32");
        assertTrue(host.matches(ip("10.1.2.3"), 1));
        assertFalse(host.matches(ip("10.1.2.2"), 1));
        AddressPattern one = AddressPattern.parse("128.0.0.0/1");
        assertTrue(one.matches(ip("200.1.1.1"), 1));
        assertFalse(one.matches(ip("127.255.255.255"), 1));
        AddressPattern odd = AddressPattern.parse("10.0.0.0/31");
        assertTrue(odd.matches(ip("10.0.0.1"), 1));
        assertFalse(odd.matches(ip("10.0.0.2"), 1));
    }

    @Test
    void ipv4BlockWithPort() {
        AddressPattern p = AddressPattern.parse("198.18.0.0/15:443");
        assertTrue(p.matches(ip("198.19.1.1"), 443));
        assertFalse(p.matches(ip("198.19.1.1"), 444));
        assertFalse(p.matches(ip("198.20.0.0"), 443));
        assertEquals("198.18.0.0/15:443", p.toString());
    }

    @Test
    void ipv4WithPortRange() {
        AddressPattern p = AddressPattern.parse("127.0.0.1:8000-8001");
        assertTrue(p.matches(ip("127.0.0.1"), 8001));
        assertFalse(p.matches(ip("127.0.0.1"), 8002));
        assertFalse(p.matches(ip("127.0.0.2"), 8000));
    }

    // --- IPv6 ---

    @Test
    void bracketedIpv6WithPort() {
        AddressPattern p = AddressPattern.parse("[2001:2::1]:80");
        assertTrue(p.matches(ip("2001:2::1"), 80));
        assertTrue(p.matches(ip("2001:2:0:0:0:0:0:1"), 80));
        assertFalse(p.matches(ip("2001:2::1"), 81));
        assertFalse(p.matches(ip("2001:2::2"), 80));
        assertFalse(p.matches(ip("198.18.0.2"), 80));
    }

    @Test
    void bracketedIpv6WithoutPort() {
        AddressPattern p = AddressPattern.parse("[2001:2::1]");
        assertTrue(p.matches(ip("2001:2::1"), 1));
        assertTrue(p.matches(ip("2001:2::1"), 65535));
    }

    @Test
    void bracketedIpv6Block() {
        AddressPattern p = AddressPattern.parse("[2001:2::/48]");
        assertTrue(p.matches(ip("2001:2::1"), 80));
        assertTrue(p.matches(ip("2001:2:0:ffff:ffff:ffff:ffff:ffff"), 80));
        assertFalse(p.matches(ip("2001:2:1::"), 80));
        assertFalse(p.matches(ip("2001:3::"), 80));
    }

    @Test
    void bracketedIpv6BlockWithPort() {
        AddressPattern p = AddressPattern.parse("[2001:2::/48]:8000-8100");
        assertTrue(p.matches(ip("2001:2::9"), 8100));
        assertFalse(p.matches(ip("2001:2::9"), 8101));
        assertFalse(p.matches(ip("2001:2:1::9"), 8000));
    }

    @Test
    void bareIpv6() {
        AddressPattern p = AddressPattern.parse("::1");
        assertTrue(p.matches(ip("::1"), 80));
        assertTrue(p.matches(ip("0:0:0:0:0:0:0:1"), 443));
        assertFalse(p.matches(ip("::2"), 80));
        assertFalse(p.matches(ip("127.0.0.1"), 80));
    }

    @Test
    void bareIpv6Block() {
        AddressPattern p = AddressPattern.parse("2001:2::/48");
        assertTrue(p.matches(ip("2001:2::abcd"), 80));
        assertTrue(p.matches(ip("2001:2:0:1::"), 80));
        assertFalse(p.matches(ip("2001:2:1::"), 80));
    }

    @Test
    void ipv6PrefixNotOnAByteBoundary() {
        AddressPattern p = AddressPattern.parse("[2001:db8::/33]");
        assertTrue(p.matches(ip("2001:db8:7fff::1"), 1));
        assertFalse(p.matches(ip("2001:db8:8000::1"), 1));
        AddressPattern all = AddressPattern.parse("[::/0]");
        assertTrue(all.matches(ip("2001:db8::1"), 1));
        AddressPattern host = AddressPattern.parse("[::1/128]");
        assertTrue(host.matches(ip("::1"), 1));
        assertFalse(host.matches(ip("::3"), 1));
    }

    // --- IPv4-mapped IPv6 ---

    @Test
    void v4MappedAddressMatchesIpv4Patterns() throws UnknownHostException {
        InetAddress mapped = v4Mapped(198, 18, 0, 2);
        assertTrue(AddressPattern.parse("198.18.0.2").matches(mapped, 80));
        assertTrue(AddressPattern.parse("198.18.0.0/15").matches(mapped, 80));
        assertTrue(AddressPattern.parse("198.18.0.0/15:80").matches(mapped, 80));
        assertFalse(AddressPattern.parse("198.18.0.3").matches(mapped, 80));
        assertFalse(AddressPattern.parse("198.20.0.0/15").matches(mapped, 80));
    }

    @Test
    void v4MappedInet6AddressMatchesIpv4Patterns() throws UnknownHostException {
        InetAddress mapped = v4MappedInet6(198, 18, 0, 2);
        assertInstanceOf(Inet6Address.class, mapped);
        assertTrue(AddressPattern.parse("198.18.0.2").matches(mapped, 80));
        assertTrue(AddressPattern.parse("198.18.0.0/15:80").matches(mapped, 80));
        assertFalse(AddressPattern.parse("198.20.0.0/15").matches(mapped, 80));
        assertFalse(AddressPattern.parse("198.18.0.2:81").matches(mapped, 80));
    }

    @Test
    void v4MappedPatternMatchesIpv4() throws UnknownHostException {
        AddressPattern p = AddressPattern.parse("[::ffff:198.18.0.2]");
        assertTrue(p.matches(ip("198.18.0.2"), 80));
        assertTrue(p.matches(v4Mapped(198, 18, 0, 2), 80));
        assertTrue(p.matches(v4MappedInet6(198, 18, 0, 2), 80));
        assertFalse(p.matches(ip("198.18.0.3"), 80));
        AddressPattern withPort = AddressPattern.parse("[::ffff:198.18.0.2]:443");
        assertTrue(withPort.matches(ip("198.18.0.2"), 443));
        assertFalse(withPort.matches(ip("198.18.0.2"), 80));
    }

    @Test
    void normalizeUnmapsV4Mapped() throws UnknownHostException {
        InetAddress n = AddressPattern.normalize(v4MappedInet6(10, 1, 2, 3));
        assertEquals(ip("10.1.2.3"), n);
        InetAddress v6 = ip("2001:2::1");
        assertEquals(v6, AddressPattern.normalize(v6));
        InetAddress v4 = ip("10.1.2.3");
        assertEquals(v4, AddressPattern.normalize(v4));
    }

    // --- errors ---

    @Test
    void hostNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("example.com"));
        assertTrue(e.getMessage().contains("example.com"), e.getMessage());
        assertTrue(e.getMessage().contains("IP address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("example.com:80"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("*.example.com"));
    }

    @Test
    void namesThatWouldResolveAreStillRejected() {
        // localhost always resolves; it being rejected shows the name is never looked up.
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("localhost:80"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[localhost]:80"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("localhost/8"));
    }

    /**
     * Runs {@link ResolveProbe} in a child JVM whose resolver is a hosts file that maps the odd
     * "name" {@code .:1} to 192.0.2.7: if the pattern {@code [.:1]} is accepted as 192.0.2.7, parse()
     * resolved a name. The resolver is chosen at JVM start, hence the child JVM.
     */
    @Test
    void patternThatLooksLikeIpv6IsNeverResolvedAsAName(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "192.0.2.7 .:1\n192.0.2.8 localhost\n");
        String classPath = Paths.get(AddressPattern.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator
                + Paths.get(ResolveProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts, "-cp", classPath, ResolveProbe.class.getName(), "[.:1]", "localhost")
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.waitFor(), out);
        // "localhost" is rejected before any lookup (it would have resolved to 192.0.2.8).
        assertTrue(out.contains("localhost -> rejected"), out);
        // InetAddress.getByName(".:1") treats it as a host name, not a literal: it must be
        // rejected before it gets there.
        assertTrue(out.contains("[.:1] -> rejected"), out);
    }

    /** Child-JVM main for the test above: prints "PATTERN -> rejected" or "PATTERN -> accepted". */
    public static final class ResolveProbe {
        public static void main(String[] args) throws Exception {
            for (String pattern : args) {
                try {
                    boolean m = AddressPattern.parse(pattern).matches(InetAddress.getByName("192.0.2.7"), 1);
                    System.out.println(pattern + " -> accepted" + (m ? " as 192.0.2.7" : ""));
                } catch (IllegalArgumentException e) {
                    System.out.println(pattern + " -> rejected");
                }
            }
        }
    }

    @Test
    void missingCloseBracket() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[::1"));
        assertTrue(e.getMessage().contains("]"), e.getMessage());
    }

    @Test
    void junkAfterCloseBracket() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("[::1]x"));
        assertTrue(e.getMessage().contains(":PORT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[::1]80"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[::1]:"));
    }

    @Test
    void badPorts() {
        IllegalArgumentException abc = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("1.2.3.4:abc"));
        assertTrue(abc.getMessage().contains("'abc'"), abc.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse(":70000"));
        assertTrue(big.getMessage().contains("70000"), big.getMessage());
        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse(":90-80"));
        assertTrue(backwards.getMessage().contains("90-80"), backwards.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":65536"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":80-65536"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":123456"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":-1"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":80-"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("1.2.3.4:"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(":"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[::1]:abc"));
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("[::1]:70000"));
    }

    @Test
    void prefixTooLong() {
        IllegalArgumentException v4 = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("1.2.3.4/33"));
        assertTrue(v4.getMessage().contains("/33"), v4.getMessage());
        assertTrue(v4.getMessage().contains("32"), v4.getMessage());
        IllegalArgumentException v6 = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("[::1/129]"));
        assertTrue(v6.getMessage().contains("/129"), v6.getMessage());
        assertTrue(v6.getMessage().contains("128"), v6.getMessage());
    }

    @Test
    void prefixNotANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressPattern.parse("1.2.3.4/x"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse("1.2.3.4/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/-1", "1.2.3.4/-8", "[2001:2::/-1]"})
    void negativePrefixIsRejected(String pattern) {
        // A negative prefix must not be taken for "no prefix" (a single address).
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(pattern));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4x", "::g", "1:2:3:4:5:6:7:8:9",
            "/8", "*/8", "[]x", "[1.2.3.4]x", "fe80::1%eth0"})
    void otherMalformedPatterns(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(pattern));
    }
}
