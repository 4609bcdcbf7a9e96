package io.tfoagent.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of client peers that check the kernel's view of their own sockets: access
 * to the fd inside JDK classes and to libc through the test's JNA, silently; with the agent's
 * client side on for the test ranges (and its server side off), or without the agent.
 */
final class ClientPeerJvm {
    static final String CLIENT_OPTIONS = "allow=198.18.0.0/15,allow=[2001:2::/48],server=off";
    static final List<String> WITHOUT_AGENT = List.of(
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");

    private ClientPeerJvm() {}

    static List<String> withAgent() {
        return withAccess(Agent.with(CLIENT_OPTIONS));
    }

    /** {@code jvmOptions} plus the peers' access. */
    static List<String> withAccess(List<String> jvmOptions) {
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.addAll(WITHOUT_AGENT);
        return jvm;
    }
}
