package io.tfoagent.it.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What the agent keeps on the heap in a JVM that uses both its sides: a listener in this JVM (server
 * TFO) and {@code N} fresh client connections to it (half through java.net.Socket, half through
 * SocketChannel), then full GCs, then the used heap, metaspace and loaded class count. Run by
 * {@link OverheadBench} without and with {@code -javaagent:tfo-agent.jar=allow=127.0.0.1}; the
 * difference is the agent's. Prints {@code heap B metaspace B classes N tfo-connections N}.
 */
public final class AgentHeapBench {
    private AgentHeapBench() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ServerSocket listener = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        Thread server = new Thread(() -> serve(listener), "server");
        server.setDaemon(true);
        server.start();
        InetSocketAddress address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
        byte[] reply = new byte[256];
        int ok = 0;
        for (int i = 0; i < connections; i++) {
            ok += (i % 2 == 0 ? viaSocket(address, reply) : viaChannel(address)) ? 1 : 0;
        }
        if (ok != connections) {
            System.err.println((connections - ok) + " of " + connections + " exchanges failed");
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long metaspace = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP && pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            }
        }
        System.out.println("heap " + memory.getHeapMemoryUsage().getUsed() + " metaspace " + metaspace
                + " classes " + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() + " ok " + ok);
    }

    private static void serve(ServerSocket listener) {
        byte[] request = new byte[4096];
        while (true) {
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                int n = 0;
                int r;
                while (n < ConnectionRateBench.REQUEST.length
                        && (r = s.getInputStream().read(request, n, request.length - n)) > 0) {
                    n += r;
                }
                s.getOutputStream().write(ConnectionRateBench.REPLY);
            } catch (IOException e) {
                System.err.println("server: " + e);
            }
        }
    }

    private static boolean viaSocket(InetSocketAddress address, byte[] reply) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(address, 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(ConnectionRateBench.REQUEST);
            int n = 0;
            int r;
            while ((r = s.getInputStream().read(reply, n, reply.length - n)) > 0) {
                n += r;
            }
            return n == ConnectionRateBench.REPLY.length;
        }
    }

    private static boolean viaChannel(InetSocketAddress address) throws IOException {
        try (SocketChannel c = SocketChannel.open(address)) {
            c.write(ByteBuffer.wrap(ConnectionRateBench.REQUEST));
            ByteBuffer in = ByteBuffer.allocate(256);
            while (c.read(in) > 0) {
                // until the server closes
            }
            return in.position() == ConnectionRateBench.REPLY.length;
        }
    }
}
