package io.tfoagent.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {
    private static final InetAddress SOME_ADDRESS = ip("198.18.0.2");
    private static final String LABEL_63 = "a".repeat(63);
    /** 4 labels of 63 and one of 1, with dots: 253 characters. */
    private static final String NAME_253 = String.join(".", LABEL_63, LABEL_63, LABEL_63, LABEL_63.substring(0, 61));

    /** A literal, parsed without DNS. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean matches(String pattern, String hostName, int port) {
        return HostPattern.parse(pattern).matches(hostName, SOME_ADDRESS, port);
    }

    private static IllegalArgumentException rejected(String pattern) {
        return assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(pattern), pattern);
    }

    // --- host names ---

    @Test
    void exactNameMatchesOnlyThatName() {
        assertTrue(matches("api.example.com", "api.example.com", 443));
        assertFalse(matches("api.example.com", "www.example.com", 443));
        assertFalse(matches("api.example.com", "x.api.example.com", 443));
        assertFalse(matches("api.example.com", "example.com", 443));
        assertFalse(matches("api.example.com", "api.example.co", 443));
        assertFalse(matches("api.example.com", "api.example.comm", 443));
        assertFalse(matches("api.example.com", "xapi.example.com", 443));
    }

    @Test
    void nameWithoutPortMatchesAnyPortAndAnyAddress() {
        HostPattern p = HostPattern.parse("api.example.com");
        assertTrue(p.matches("api.example.com", ip("10.0.0.1"), 0));
        assertTrue(p.matches("api.example.com", ip("2001:2::1"), 65535));
    }

    @Test
    void nameIsCaseInsensitiveBothWays() {
        assertTrue(matches("api.example.com", "API.Example.COM", 80));
        assertTrue(matches("API.EXAMPLE.com", "api.example.com", 80));
        assertTrue(matches("*.Example.com", "WWW.EXAMPLE.COM", 80));
    }

    @Test
    void nonAsciiLettersDoNotFoldOntoAsciiOnes() {
        // U+212A KELVIN SIGN and U+0131 DOTLESS I fold to k and i under String.equalsIgnoreCase.
        assertFalse(matches("key.example.com", "\u212Aey.example.com", 80));
        assertFalse(matches("api.example.com", "ap\u0131.example.com", 80));
        assertFalse(matches("*.example.com", "a.\u212Aexample.com", 80));
    }

    @Test
    void trailingDotIsIgnoredOnEitherSide() {
        assertTrue(matches("api.example.com.", "api.example.com", 80));
        assertTrue(matches("api.example.com", "api.example.com.", 80));
        assertTrue(matches("api.example.com.:80", "api.example.com.", 80));
        assertTrue(matches("*.example.com.", "a.example.com.", 80));
        assertFalse(matches("api.example.com", "api.example.com..", 80));
    }

    @Test
    void nameEntryNeverMatchesWithoutAName() {
        HostPattern p = HostPattern.parse("api.example.com");
        assertFalse(p.matches(null, SOME_ADDRESS, 443));
        assertFalse(HostPattern.parse("*.example.com").matches(null, SOME_ADDRESS, 443));
        // The application connected to a literal: its "name" is the address text.
        assertFalse(p.matches("198.18.0.2", SOME_ADDRESS, 443));
    }

    @Test
    void singleLabelName() {
        assertTrue(matches("localhost", "LOCALHOST", 80));
        assertFalse(matches("localhost", "localhost.localdomain", 80));
    }

    @Test
    void nameWithPort() {
        assertTrue(matches("api.example.com:443", "api.example.com", 443));
        assertFalse(matches("api.example.com:443", "api.example.com", 444));
        assertFalse(matches("api.example.com:443", "api.example.com", 442));
        assertFalse(matches("api.example.com:443", "other.example.com", 443));
    }

    @Test
    void nameWithPortRangeEdges() {
        HostPattern p = HostPattern.parse("api.example.com:8000-8100");
        assertFalse(p.matches("api.example.com", SOME_ADDRESS, 7999));
        assertTrue(p.matches("api.example.com", SOME_ADDRESS, 8000));
        assertTrue(p.matches("api.example.com", SOME_ADDRESS, 8100));
        assertFalse(p.matches("api.example.com", SOME_ADDRESS, 8101));
    }

    @Test
    void namesThatLookLikeAddressesInPartAreNames() {
        // Only a numeric last label marks an IPv4 address.
        assertTrue(matches("1.2.3.4x", "1.2.3.4x", 80));
        assertTrue(matches("123.example.com", "123.example.com", 80));
        assertTrue(matches("a-b.xn--p1ai", "A-B.XN--P1AI", 80));
    }

    // --- wildcards ---

    @Test
    void wildcardMatchesSubdomainsAtAnyDepth() {
        assertTrue(matches("*.example.com", "a.example.com", 80));
        assertTrue(matches("*.example.com", "a.b.c.example.com", 80));
        assertTrue(matches("*.com", "example.com", 80));
    }

    @Test
    void wildcardDoesNotMatchTheApexOrLookAlikes() {
        assertFalse(matches("*.example.com", "example.com", 80));
        assertFalse(matches("*.example.com", "example.com.", 80));
        assertFalse(matches("*.example.com", ".example.com", 80));
        assertFalse(matches("*.example.com", "badexample.com", 80));
        assertFalse(matches("*.example.com", "a.example.com.evil.net", 80));
        assertFalse(matches("*.example.com", "a.example.co", 80));
        assertFalse(matches("*.example.com", "com", 80));
    }

    @Test
    void wildcardWithPorts() {
        HostPattern p = HostPattern.parse("*.example.com:20-30");
        assertTrue(p.matches("mail.example.com", SOME_ADDRESS, 20));
        assertTrue(p.matches("mail.example.com", SOME_ADDRESS, 30));
        assertFalse(p.matches("mail.example.com", SOME_ADDRESS, 19));
        assertFalse(p.matches("mail.example.com", SOME_ADDRESS, 31));
        assertFalse(p.matches("example.com", SOME_ADDRESS, 25));
    }

    // --- address forms, exactly AddressPattern's ---

    @Test
    void starIsAnyAddressAndIgnoresTheName() {
        HostPattern p = HostPattern.parse("*");
        assertTrue(p.matches(null, ip("198.18.0.2"), 0));
        assertTrue(p.matches("anything.example.com", ip("2001:2::1"), 65535));
        assertFalse(p.namesPort());
    }

    @Test
    void addressEntriesMatchTheResolvedAddressWhateverTheName() {
        HostPattern block = HostPattern.parse("198.18.0.0/15:443");
        assertTrue(block.matches(null, ip("198.19.1.1"), 443));
        assertTrue(block.matches("api.example.com", ip("198.19.1.1"), 443));
        assertFalse(block.matches("api.example.com", ip("198.20.0.1"), 443));
        assertFalse(block.matches(null, ip("198.19.1.1"), 444));
        // An address-looking name does not stand in for the address.
        assertFalse(block.matches("198.19.1.1", ip("10.0.0.1"), 443));
    }

    @Test
    void ipv6AddressForms() {
        HostPattern bracketed = HostPattern.parse("[2001:2::1]:80");
        assertTrue(bracketed.matches(null, ip("2001:2::1"), 80));
        assertFalse(bracketed.matches(null, ip("2001:2::1"), 81));
        assertFalse(bracketed.matches(null, ip("2001:2::2"), 80));
        HostPattern bare = HostPattern.parse("::1");
        assertTrue(bare.matches(null, ip("::1"), 1));
        assertTrue(bare.matches(null, ip("::1"), 65535));
        assertFalse(bare.matches(null, ip("::2"), 1));
    }

    @Test
    void portOnly() {
        HostPattern p = HostPattern.parse(":8080");
        assertTrue(p.matches(null, ip("10.0.0.1"), 8080));
        assertTrue(p.matches("api.example.com", ip("::1"), 8080));
        assertFalse(p.matches(null, ip("10.0.0.1"), 8081));
    }

    @Test
    void v4MappedAddressesMatchIpv4Entries() throws UnknownHostException {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) 198;
        raw[13] = 18;
        raw[15] = 2;
        // Inet6Address.getByAddress keeps it IPv6, as the JDK hands it over for IPv6 sockets.
        InetAddress mapped = Inet6Address.getByAddress(null, raw, -1);
        assertTrue(HostPattern.parse("198.18.0.0/15:443").matches(null, mapped, 443));
        assertTrue(HostPattern.parse("198.18.0.2").matches("api.example.com", mapped, 80));
        assertFalse(HostPattern.parse("198.20.0.0/15").matches(null, mapped, 443));
    }

    // --- which patterns name a port ---

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com:25", "*.example.com:20-30", "198.18.0.2:25", "[::1]:25", ":25",
            "*:25", "localhost.:25", ":0-65535"})
    void patternsWrittenWithAPortNameIt(String pattern) {
        assertTrue(HostPattern.parse(pattern).namesPort(), pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "*.example.com", "*", "198.18.0.0/15", "[::1]", "::1",
            "2001:2::/48", "api.example.com."})
    void patternsWithoutAPortDoNotNameOne(String pattern) {
        assertFalse(HostPattern.parse(pattern).namesPort(), pattern);
    }

    @Test
    void toStringIsTheTextAsWritten() {
        assertEquals("API.example.com:443", HostPattern.parse("API.example.com:443").toString());
        assertEquals("*.example.com.", HostPattern.parse("*.example.com.").toString());
        assertEquals("[2001:2::1]:80", HostPattern.parse("[2001:2::1]:80").toString());
    }

    // --- length limits ---

    @Test
    void longestLabelAndNameAreAccepted() {
        assertEquals(253, NAME_253.length());
        String label63 = LABEL_63 + ".example.com";
        assertTrue(matches(label63, label63, 80));
        assertTrue(matches(NAME_253, NAME_253, 80));
        assertTrue(matches(NAME_253 + ".", NAME_253, 80), "the trailing dot does not count");
    }

    @Test
    void labelOver63IsRejected() {
        IllegalArgumentException e = rejected("a" + LABEL_63 + ".example.com");
        assertTrue(e.getMessage().contains("a" + LABEL_63), e.getMessage());
        assertTrue(e.getMessage().contains("1-63"), e.getMessage());
    }

    @Test
    void nameOver253IsRejected() {
        // Every label is valid: only the total is too long.
        IllegalArgumentException e = rejected(NAME_253 + "b");
        assertTrue(e.getMessage().contains("254"), e.getMessage());
        assertTrue(e.getMessage().contains("253"), e.getMessage());
        assertTrue(rejected("*." + NAME_253 + "b:443").getMessage().contains("254"));
    }

    // --- errors ---

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a..example.com|''",
            ".example.com|''",
            "example.com..|''",
            "-a.example.com|-a",
            "a-.example.com|a-",
            "a_b.example.com|a_b",
            "exa mple.com|exa mple",
            "caf\u00e9.example.com|caf\u00e9",
            "a.example.com-|com-",
            "*.a_b.example.com:443|a_b"})
    void badLabelsAreNamed(String pattern, String label) {
        IllegalArgumentException e = rejected(pattern);
        assertTrue(e.getMessage().contains("label '" + label + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(HostPattern.ACCEPTED), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "*.", "*..", "*.:443"})
    void emptyNamesAreRejected(String pattern) {
        IllegalArgumentException e = rejected(pattern);
        assertTrue(e.getMessage().startsWith("empty"), e.getMessage());
        assertTrue(e.getMessage().contains(HostPattern.ACCEPTED), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"**.example.com", "a.*.example.com", "*a.example.com", "example.*", "*.*.example.com",
            "*example.com:443", "a*.example.com"})
    void starOnlyAsTheWholeFirstLabel(String pattern) {
        IllegalArgumentException e = rejected(pattern);
        assertTrue(e.getMessage().contains("*.example.com"), e.getMessage());
        assertTrue(e.getMessage().contains("whole first label"), e.getMessage());
    }

    @Test
    void badPortsOnNames() {
        IllegalArgumentException big = rejected("api.example.com:70000");
        assertTrue(big.getMessage().contains("70000"), big.getMessage());
        IllegalArgumentException abc = rejected("api.example.com:abc");
        assertTrue(abc.getMessage().contains("'abc'"), abc.getMessage());
        assertTrue(abc.getMessage().contains("port"), abc.getMessage());
        IllegalArgumentException backwards = rejected("*.example.com:90-80");
        assertTrue(backwards.getMessage().contains("90-80"), backwards.getMessage());
        rejected("api.example.com:");
        rejected("api.example.com:-1");
        rejected("api.example.com:80-");
    }

    @Test
    void badPortsOnAddresses() {
        assertTrue(rejected("198.18.0.2:70000").getMessage().contains("70000"));
        assertTrue(rejected("[::1]:abc").getMessage().contains("'abc'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[api.example.com]", "[api.example.com]:80", "[localhost]"})
    void bracketsAreForIpv6AddressesOnly(String pattern) {
        IllegalArgumentException e = rejected(pattern);
        assertTrue(e.getMessage().contains("IP address"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "256.1.1.1", "1.2.3.4.5", "example.com/24", "a.com:1:2", "::g",
            "1.2.3.4/33", "api.example.com:80:90"})
    void malformedAddressesAreRejected(String pattern) {
        // These look like addresses (a numeric last label, a '/', more than one ':'): AddressPattern
        // says what is wrong, and none is taken for a host name.
        assertFalse(rejected(pattern).getMessage().contains(HostPattern.ACCEPTED));
    }
}
