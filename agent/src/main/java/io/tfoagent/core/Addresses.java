package io.tfoagent.core;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Socket addresses the way operators write them: {@code 198.18.0.2:80}, {@code [2001:2::1]:80}. */
public final class Addresses {
    private Addresses() {}

    public static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            // The JDK spells out every group (0:0:0:0:0:0:0:1); operators write ::1.
            host = "[" + host.replaceFirst("(^|:)(0(:|$)){2,}", "::") + "]";
        }
        return host + ":" + address.getPort();
    }
}
