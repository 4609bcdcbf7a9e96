package io.tfoagent.core.policy;

import io.tfoagent.core.Printable;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client destination: an {@link AddressPattern} ({@code 198.18.0.0/15:443}, {@code [2001:2::1]:80},
 * {@code ::1}, {@code *}, {@code :8080}), a host name ({@code api.example.com}) or a wildcard
 * ({@code *.example.com}: any subdomain at any depth, not example.com itself), each with an
 * optional {@code :PORT} or {@code :PORT-PORT}. Names match the name the application connected to,
 * never a DNS answer: the agent does no lookups of its own.
 */
public final class HostPattern {
    static final String ACCEPTED = "expected a host name (dot-separated labels of 1-63 letters, digits or hyphens,"
            + " not starting or ending with a hyphen, 253 characters at most), *.DOMAIN for its subdomains,"
            + " or an IP address or CIDR block; each with an optional :PORT or :PORT-PORT";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final int MAX_NAME_LENGTH = 253;
    private static final String WILDCARD = "*.";
    private static final AddressPattern ANY_PORT = AddressPattern.parse("*");

    private final String text;
    /**
     * Lower case, without a trailing dot; for a wildcard the suffix with its leading dot
     * ({@code .example.com}). Null for an address pattern.
     */
    private final String name;
    private final boolean wildcard;
    /** For an address pattern the whole pattern; for a name only its ports (any address). */
    private final AddressPattern address;
    private final boolean portNamed;

    private HostPattern(String text, String name, boolean wildcard, AddressPattern address, boolean portNamed) {
        this.text = text;
        this.name = name;
        this.wildcard = wildcard;
        this.address = address;
        this.portNamed = portNamed;
    }

    /** @throws IllegalArgumentException with a message that says what is accepted */
    public static HostPattern parse(String text) {
        if (text.isEmpty()) {
            // AddressPattern reads "" as any address; an empty destination is far more likely a slip.
            throw new IllegalArgumentException("empty destination: " + ACCEPTED);
        }
        int colon = portColon(text);
        boolean portNamed = colon >= 0;
        String host = portNamed ? text.substring(0, colon) : text;
        if (!isNameForm(host)) {
            return new HostPattern(text, null, false, AddressPattern.parse(text), portNamed);
        }
        // ":PORT" alone is an any-address AddressPattern: its port syntax and messages, no copy of them.
        AddressPattern ports = portNamed ? AddressPattern.parse(text.substring(colon)) : ANY_PORT;
        boolean wildcard = host.startsWith(WILDCARD);
        String domain = wildcard ? host.substring(WILDCARD.length()) : host;
        if (domain.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'*' must be the whole first label, as in *.example.com, got "
                    + Printable.quote(host));
        }
        String lower = validName(domain, host).toLowerCase(Locale.ROOT);
        return new HostPattern(text, wildcard ? "." + lower : lower, wildcard, ports, portNamed);
    }

    /**
     * The index of the colon before the port, or -1, split as AddressPattern splits: after
     * {@code ]} for a bracketed IPv6 address; never inside a bare IPv6 address (more than one colon).
     */
    private static int portColon(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            return close >= 0 && text.startsWith(":", close + 1) ? close + 1 : -1;
        }
        int colon = text.indexOf(':');
        return colon == text.lastIndexOf(':') ? colon : -1;
    }

    /**
     * Everything that is not plainly an address goes to name validation, so that a mistyped name
     * gets the name rules in its error. A last label that is a number marks an IPv4 address:
     * no top-level domain is numeric.
     */
    private static boolean isNameForm(String host) {
        if (host.isEmpty() || host.equals("*") || host.startsWith("[") || host.indexOf(':') >= 0
                || host.indexOf('/') >= 0) {
            return false;
        }
        String bare = withoutTrailingDot(host);
        return !NUMBER.matcher(bare.substring(bare.lastIndexOf('.') + 1)).matches();
    }

    /**
     * @param host the name as written, with its "*." if any, for messages
     * @return the name without its trailing dot
     */
    private static String validName(String name, String host) {
        String bare = withoutTrailingDot(name);
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("empty host name in " + Printable.quote(host) + ": " + ACCEPTED);
        }
        if (bare.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("host name is " + bare.length() + " characters long: " + ACCEPTED);
        }
        // -1: keep empty labels ("a..b", "a.com..") so they are reported, not dropped.
        for (String label : bare.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("bad label " + Printable.quote(label) + " in " + Printable.quote(host)
                        + ": " + ACCEPTED);
            }
        }
        return bare;
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * @param hostName the name the application connected to, or null if it gave only an address
     * @param resolved the address actually connected to
     */
    public boolean matches(String hostName, InetAddress resolved, int port) {
        if (name != null && (hostName == null || !nameMatches(withoutTrailingDot(hostName)))) {
            return false;
        }
        return address.matches(resolved, port);
    }

    private boolean nameMatches(String hostName) {
        // A wildcard needs at least one character of subdomain before its ".example.com".
        boolean lengthFits = wildcard ? hostName.length() > name.length() : hostName.length() == name.length();
        return lengthFits && endsWithIgnoringAsciiCase(hostName, name);
    }

    /**
     * ASCII case folding only: with full Unicode folding (String.equalsIgnoreCase) a Kelvin
     * sign or a dotless i in the application's name would match a pattern's k or i.
     */
    private static boolean endsWithIgnoringAsciiCase(String s, String lowerSuffix) {
        int offset = s.length() - lowerSuffix.length();
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < lowerSuffix.length(); i++) {
            char c = s.charAt(offset + i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != lowerSuffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pattern was written with a port or port range (then it names every port it matches). */
    boolean namesPort() {
        return portNamed;
    }

    @Override
    public String toString() {
        return text;
    }
}
