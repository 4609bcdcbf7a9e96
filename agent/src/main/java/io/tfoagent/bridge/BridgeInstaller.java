package io.tfoagent.bridge;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.NettyEpollConnects;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.server.ServerFastOpen;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts {@code sun.nio.ch.TfoBridge} into java.base and connects it to the agent.
 *
 * <p>Advice is inlined into JDK classes, so what it calls must be visible from java.base.
 * {@code Instrumentation.appendToBootstrapClassLoaderSearch} would do it, but prints a CDS
 * warning and turns class sharing off for application classes. Instead the agent's module
 * is given access to {@code sun.nio.ch} and the bridge is defined there through a private
 * lookup: no warning, sharing stays on, and the only agent class in java.base is the
 * bridge itself. Must run before any class that extends the bridge is loaded.
 */
public final class BridgeInstaller {
    private static final String BRIDGE_CLASS_FILE = "sun/nio/ch/TfoBridge.class";
    private static final String ANCHOR = "sun.nio.ch.Net";

    private BridgeInstaller() {}

    /** Defines the bridge in java.base; the advice's calls do nothing until {@link #connect}. */
    public static void define(Instrumentation inst) throws Exception {
        JdkAccess.open(inst);
        MethodHandles.privateLookupIn(Class.forName(ANCHOR), MethodHandles.lookup()).defineClass(bridgeClassFile());
    }

    /** After {@link #define}: the bridge's count of followed client sockets, which the client core keeps. */
    public static AtomicInteger trackedSockets() {
        return AgentBridge.followedSockets();
    }

    /**
     * After {@link #define}: the advice's calls reach the agent from now on.
     *
     * @param server null when server=off
     * @param client null when no allow= entry turns client TFO on
     * @param netty Netty epoll's connects, null with client
     */
    public static void connect(ServerFastOpen server, ClientFastOpen client, NettyEpollConnects netty,
            NotCovered notCovered, AgentLog log) throws Exception {
        AgentBridge.install(server, client, netty, notCovered, log);
    }

    private static byte[] bridgeClassFile() throws IOException {
        try (InputStream in = BridgeInstaller.class.getClassLoader().getResourceAsStream(BRIDGE_CLASS_FILE)) {
            if (in == null) {
                throw new IOException(BRIDGE_CLASS_FILE + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }
}
