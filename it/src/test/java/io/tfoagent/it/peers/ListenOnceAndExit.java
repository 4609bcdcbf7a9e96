package io.tfoagent.it.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * An application that opens one listener (so the agent has something to act on and report),
 * closes it, prints {@code RAN} and exits 0: whether the agent let it run is its exit status.
 */
public final class ListenOnceAndExit {
    private ListenOnceAndExit() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        System.out.println("RAN");
    }
}
