package io.tfoagent.core.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Which destinations get client TFO: none unless {@code allow} names some; {@code deny}
 * always wins; well-known server-speaks-first ports only where an allow entry names the port.
 * {@code trust} marks destinations whose first bytes are replay-safe whatever they are.
 */
public final class DestinationPolicy {
    /** Why a destination does or does not get client TFO; for counters and log lines. */
    public enum Decision {
        ALLOWED,
        /** No allow entry matches, including when there are no allow entries at all. */
        NOT_ALLOWED,
        /** A deny entry matches. */
        DENIED,
        /** A well-known server-speaks-first port that no matching allow entry names. */
        SERVER_SPEAKS_FIRST
    }

    /**
     * Ports whose protocol starts with the server talking: the client has nothing to put in the
     * SYN, and a deferred connect would wait for a first write that only follows the server's
     * greeting. The implicit-TLS ports open with the client's ClientHello, but the protocol inside
     * is server-first; they stay with their plain-text ports so that both need naming alike.
     * Client-first protocols (PostgreSQL, LDAP, MS SQL, Redis, memcached, XMPP, IRC) are not listed.
     */
    // Not here: implicit-TLS ports (465, 993, 995...): the client's ClientHello goes first.
    private static final Set<Integer> SERVER_SPEAKS_FIRST_PORTS = Set.of(
            21, // FTP control: 220 greeting
            22, // SSH: server version banner
            23, // Telnet: option negotiation and login prompt
            25, // SMTP: 220 greeting
            110, // POP3: +OK greeting
            119, // NNTP: 200 greeting
            143, // IMAP: * OK greeting
            587, // SMTP submission: 220 greeting
            3306, // MySQL/MariaDB: server handshake packet
            5900); // VNC (RFB): server protocol version

    private final List<HostPattern> allow;
    private final List<HostPattern> deny;
    private final List<HostPattern> trust;

    public DestinationPolicy(List<HostPattern> allow, List<HostPattern> deny, List<HostPattern> trust) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
        this.trust = List.copyOf(trust);
    }

    /**
     * @param hostName the name the application asked for, or null if unknown
     * @param address the resolved address
     */
    public Decision decide(String hostName, InetAddress address, int port) {
        if (anyMatches(deny, hostName, address, port)) {
            return Decision.DENIED;
        }
        boolean allowed = false;
        for (HostPattern p : allow) {
            if (p.matches(hostName, address, port)) {
                if (p.namesPort()) {
                    // It matched, so its ports include this one: the operator asked for it by port.
                    return Decision.ALLOWED;
                }
                allowed = true;
            }
        }
        if (!allowed) {
            return Decision.NOT_ALLOWED;
        }
        return SERVER_SPEAKS_FIRST_PORTS.contains(port) ? Decision.SERVER_SPEAKS_FIRST : Decision.ALLOWED;
    }

    /** {@link #decide} for the address a connect was given. */
    public Decision decide(InetSocketAddress remote) {
        return decide(hostNameOf(remote), remote.getAddress(), remote.getPort());
    }

    /** The name the application connected to, if the JDK still knows it (no reverse lookup), else null. */
    public static String hostNameOf(InetSocketAddress remote) {
        String host = remote.getHostString();
        return host.equals(remote.getAddress().getHostAddress()) || host.indexOf(':') >= 0 ? null : host;
    }

    /** Operator-marked replay-safe destination (trust entries): any first bytes may ride in the SYN. */
    public boolean trusted(String hostName, InetAddress address, int port) {
        return anyMatches(trust, hostName, address, port);
    }

    /** False when there is no allow entry: client TFO is off. */
    public boolean clientEnabled() {
        return !allow.isEmpty();
    }

    private static boolean anyMatches(List<HostPattern> patterns, String hostName, InetAddress address, int port) {
        for (HostPattern p : patterns) {
            if (p.matches(hostName, address, port)) {
                return true;
            }
        }
        return false;
    }

    /** For the startup line: the allow list always (empty means client TFO off), the others when set. */
    public String describe() {
        StringBuilder s = new StringBuilder("allow ").append(allow);
        if (!deny.isEmpty()) {
            s.append(" deny ").append(deny);
        }
        if (!trust.isEmpty()) {
            s.append(" trust ").append(trust);
        }
        return s.toString();
    }
}
