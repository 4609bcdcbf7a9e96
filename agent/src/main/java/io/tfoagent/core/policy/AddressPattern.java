package io.tfoagent.core.policy;

import io.tfoagent.core.Printable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address block and a port range: {@code *}, {@code :8080}, {@code *:8000-8100},
 * {@code 198.18.0.2}, {@code 198.18.0.0/15:443}, {@code [2001:2::1]:80},
 * {@code [2001:2::/48]}, {@code ::1}. IPv4-mapped IPv6 addresses match as IPv4, because
 * the JDK binds and connects IPv4 through IPv6 sockets.
 */
public final class AddressPattern {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    /** Starts with a hex digit or ':', which is what keeps InetAddress from going to DNS. */
    private static final Pattern IPV6 = Pattern.compile(
            "([0-9A-Fa-f]{1,4}|:)(:[0-9A-Fa-f]{0,4}){1,7}(\\.\\d{1,3}){0,3}");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private final String text;
    /** Null: any address. */
    private final byte[] network;
    private final int prefixBits;
    private final int firstPort;
    private final int lastPort;

    private AddressPattern(String text, byte[] network, int prefixBits, int firstPort, int lastPort) {
        this.text = text;
        this.network = network;
        this.prefixBits = prefixBits;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    /** @throws IllegalArgumentException with a message that says what is accepted */
    public static AddressPattern parse(String text) {
        String host;
        String ports = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after an IPv6 address");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':PORT' after ']'");
                }
                ports = rest.substring(1);
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':')) {
            // At most one colon: ADDRESS[:PORT], :PORT or *:PORT.
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            ports = colon < 0 ? null : text.substring(colon + 1);
        } else {
            host = text; // a bare IPv6 address or block, no port
        }
        int[] range = ports == null ? new int[] {0, 65535} : portRange(ports);
        if (host.isEmpty() || host.equals("*")) {
            return new AddressPattern(text, null, 0, range[0], range[1]);
        }
        String address = host;
        int bits = -1;
        int slash = host.indexOf('/');
        if (slash >= 0) {
            address = host.substring(0, slash);
            bits = prefixLength(host.substring(slash + 1));
        }
        byte[] raw = literal(address);
        if (raw.length == 4 && address.indexOf(':') >= 0 && bits >= 0) {
            // An IPv4-mapped block (::ffff:198.18.0.0/112) is matched as the IPv4 block it maps.
            bits -= 96;
            if (bits < 0) {
                throw new IllegalArgumentException("an IPv4-mapped block needs a prefix of /96 or longer");
            }
        }
        int max = raw.length * 8;
        if (bits > max) {
            throw new IllegalArgumentException("prefix /" + bits + " is longer than " + max + " bits");
        }
        return new AddressPattern(text, raw, bits < 0 ? max : bits, range[0], range[1]);
    }

    private static int[] portRange(String ports) {
        Matcher m = PORTS.matcher(ports);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a port or a range like 8000-8100, got " + Printable.quote(ports));
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (last > 65535 || first > last) {
            throw new IllegalArgumentException("ports go from 0 to 65535, low to high, got " + Printable.quote(ports));
        }
        return new int[] {first, last};
    }

    private static int prefixLength(String bits) {
        if (!PREFIX.matcher(bits).matches()) {
            throw new IllegalArgumentException("expected a prefix length after '/', got " + Printable.quote(bits));
        }
        return Integer.parseInt(bits);
    }

    private static byte[] literal(String address) {
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("expected an IP address or CIDR block (IPv6 in [brackets] with a port),"
                    + " got " + Printable.quote(address));
        }
        try {
            // A literal never goes to DNS.
            return normalize(InetAddress.getByName(address)).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + Printable.quote(address));
        }
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as the IPv4 address it stands for. */
    static InetAddress normalize(InetAddress address) {
        // getByAddress unmaps v4-mapped addresses itself.
        if (address instanceof Inet4Address) {
            return address;
        }
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public boolean matches(InetAddress address, int port) {
        if (port < firstPort || port > lastPort) {
            return false;
        }
        if (network == null) {
            return true;
        }
        byte[] raw = normalize(address).getAddress();
        if (raw.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (raw[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (raw[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
