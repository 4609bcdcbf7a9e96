package io.tfoagent.it;

import java.time.Duration;
import java.util.List;

/**
 * Network faults as nftables rules inside one of the test's namespaces (DESIGN.md §8): one table
 * of the test's own, {@value #TABLE}, with an input chain holding the rules of one named
 * {@link Fault} for one destination (address and port of the server namespace). Applying a fault
 * replaces whatever fault the namespace had; {@link #clear} removes the table.
 *
 * <p>"A SYN that carries data", measured here with tcpdump on the server's veth (kernel 6.18,
 * {@code curl --tcp-fastopen} and a zero-length {@code send} on a {@code TCP_FASTOPEN_CONNECT}
 * socket as clients; options mss, sackOK, TS, nop, wscale, TFO):
 * <pre>
 *                                  IPv4 `ip length`   IPv6 `ip6 length` (payload only)
 *   SYN asking for a cookie              64                  44
 *   bare SYN carrying a cookie           72                  52
 *   SYN with cookie + curl's 76 B GET   148                 133  (81 B GET: longer Host)
 * </pre>
 * The shortest GET any client here writes is ~45 bytes ({@code GET / HTTP/1.1}, Host, blank line),
 * so a SYN with data is at least 117 / 97 bytes: the thresholds 100 (IPv4) and 80 (IPv6) sit well
 * between a bare SYN and any SYN with a request in it. {@code tcp flags & (syn|ack) == syn} is a
 * SYN, not a SYN-ACK (nft prints it as {@code tcp flags syn / syn,ack}).
 */
final class Nft {
    static final String TABLE = "tfoit_fault";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** IPv4 total length above which a SYN carries data (bare SYN with a cookie: 72). */
    static final int IPV4_SYN_DATA_LENGTH = 100;
    /** IPv6 payload length above which a SYN carries data (bare SYN with a cookie: 52). */
    static final int IPV6_SYN_DATA_LENGTH = 80;
    /** IPv4 total and IPv6 payload length of a bare SYN carrying a cookie: any byte more is data. */
    static final int IPV4_BARE_SYN_WITH_COOKIE_LENGTH = 72;
    static final int IPV6_BARE_SYN_WITH_COOKIE_LENGTH = 52;

    /** The faults, each as the rule that makes it; {@code %1$s} is the address match, {@code %2$d} the port. */
    enum Fault {
        /** A middlebox that drops a SYN with data; bare SYNs (the kernel's retransmission 1 s later) pass. */
        SYN_DATA_DROPPED("%1$s tcp dport %2$d tcp flags & (syn|ack) == syn %3$s counter drop"),
        /** A middlebox that answers a SYN with data with a RST; bare SYNs pass. */
        SYN_DATA_RESET("%1$s tcp dport %2$d tcp flags & (syn|ack) == syn %3$s counter reject with tcp reset"),
        /** Nothing listens: every SYN, with data or not, gets a RST (what a closed port answers). */
        REFUSED("%1$s tcp dport %2$d tcp flags & (syn|ack) == syn counter reject with tcp reset"),
        /** A dead host: every packet to it is dropped, so nothing ever answers. */
        DEAD("%1$s counter drop"),
        /**
         * Not a fault by itself: the client's pure ACKs (flags exactly ACK, no payload: IPv4 length 52
         * with timestamps) are dropped, so a connection the server opened on a SYN stays in SYN_RECV
         * until the client's next packet with data or a FIN (which acks as well). It stands in for the
         * round trip that keeps a burst's TFO children in the listener's TFO queue (which counts
         * children not yet ESTABLISHED): at zero RTT the queue empties faster than any burst fills it.
         */
        PURE_ACKS_DROPPED("%1$s tcp dport %2$d tcp flags == ack %4$s counter drop"),
        /**
         * Not a fault: counts (and lets through) every SYN longer than a bare one with a cookie, so
         * that even a first write of a few bytes (pgjdbc's 8-byte SSLRequest) shows when it rides.
         */
        ANY_SYN_DATA_COUNTED("%1$s tcp dport %2$d tcp flags & (syn|ack) == syn %5$s counter");

        private final String rule;

        Fault(String rule) {
            this.rule = rule;
        }

        /** The rule for destination {@code address:port} (IPv4 or IPv6 literal). */
        String rule(String address, int port) {
            boolean v6 = address.contains(":");
            String daddr = (v6 ? "ip6 daddr " : "ip daddr ") + address;
            String synData = v6 ? "ip6 length > " + IPV6_SYN_DATA_LENGTH : "ip length > " + IPV4_SYN_DATA_LENGTH;
            String noPayload = v6 ? "ip6 length <= 32" : "ip length <= 52";
            String anyData = v6 ? "ip6 length > " + IPV6_BARE_SYN_WITH_COOKIE_LENGTH
                    : "ip length > " + IPV4_BARE_SYN_WITH_COOKIE_LENGTH;
            return rule.formatted(daddr, port, synData, noPayload, anyData);
        }
    }

    private Nft() {}

    /** Makes {@code fault} for {@code address:port} the one fault of {@code ns} (its input chain: packets arriving there). */
    static void apply(NetNs ns, Fault fault, String address, int port) {
        clear(ns);
        ns.run("nft", "add table inet " + TABLE + "; add chain inet " + TABLE
                + " input { type filter hook input priority filter; policy accept; }; add rule inet " + TABLE
                + " input " + fault.rule(address, port));
    }

    /** Removes the fault (the table) from {@code ns}, if it has one. */
    static void clear(NetNs ns) {
        Command.run(ns.exec(List.of("nft", "delete table inet " + TABLE)), TIMEOUT); // fails if absent: fine
    }

    /** How many packets the fault's rule has matched so far (its counter), 0 without a fault. */
    static long matched(NetNs ns) {
        Command.Result listed = Command.run(ns.exec(List.of("nft", "list table inet " + TABLE)), TIMEOUT);
        if (listed.exitCode() != 0) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listed.stdout());
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }
}
