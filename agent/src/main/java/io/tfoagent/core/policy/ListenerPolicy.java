package io.tfoagent.core.policy;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which listeners get server TFO, by bind address and port: all of them unless
 * {@code server-allow} names some; {@code server-deny} always wins.
 */
public final class ListenerPolicy {
    private final List<AddressPattern> allow;
    private final List<AddressPattern> deny;

    public ListenerPolicy(List<AddressPattern> allow, List<AddressPattern> deny) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    public boolean allows(InetSocketAddress local) {
        return !anyMatches(deny, local) && (allow.isEmpty() || anyMatches(allow, local));
    }

    private static boolean anyMatches(List<AddressPattern> patterns, InetSocketAddress local) {
        for (AddressPattern p : patterns) {
            if (p.matches(local.getAddress(), local.getPort())) {
                return true;
            }
        }
        return false;
    }

    /** For the startup line: empty when every listener is allowed. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (!allow.isEmpty()) {
            s.append(" allow ").append(allow);
        }
        if (!deny.isEmpty()) {
            s.append(" deny ").append(deny);
        }
        return s.toString();
    }
}
