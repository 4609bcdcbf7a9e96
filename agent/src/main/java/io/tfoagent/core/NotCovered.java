package io.tfoagent.core;

import io.tfoagent.core.policy.DestinationPolicy;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sockets opened through a path the agent does not handle (Netty's io_uring and kqueue client
 * connects, epoll's from a Netty copy the agent could not weave whole, Tomcat's APR listeners): the first
 * one through each class is named in one line that says TFO is off there and how to get it, and
 * every one is counted for the exit line. A connect counts only when the agent would have given
 * it TFO on a JDK socket (its destination allowed); the others go without TFO either way.
 */
public final class NotCovered {
    private final AgentLog log;
    /** Null when the client side is off: no connect would have had TFO. */
    private final DestinationPolicy destinations;
    private final boolean server;
    /**
     * By the class a socket was opened through (and whether as a listener): its path, named once
     * when the first socket goes through it, and its count. Per socket: one map lookup.
     */
    private final Map<Opener, Counted> byClass = new ConcurrentHashMap<>();

    private record Opener(String className, boolean listener) {}

    private record Counted(String path, LongAdder count) {}

    /** @param destinations null when the client side is off; {@code server}: whether listeners would get TFO */
    public NotCovered(AgentLog log, DestinationPolicy destinations, boolean server) {
        this.log = log;
        this.destinations = destinations;
        this.server = server;
    }

    /**
     * A socket opened through {@code className}'s path: a connect to {@code remote}, or a listener
     * when {@code remote} is null. Connects to anything but a TCP address (a Unix socket) are not
     * counted.
     */
    public void opened(String className, Object remote) {
        boolean counts = remote == null ? server
                : destinations != null && remote instanceof InetSocketAddress
                        && !((InetSocketAddress) remote).isUnresolved()
                        && destinations.decide((InetSocketAddress) remote) == DestinationPolicy.Decision.ALLOWED;
        if (!counts) {
            return;
        }
        byClass.computeIfAbsent(new Opener(className, remote == null), this::firstThrough).count.increment();
    }

    /** The first socket through an opener: its path named, in one line. */
    private Counted firstThrough(Opener opener) {
        Path path = Path.of(opener.className, opener.listener);
        log.line("not covered: " + path.name() + " (" + opener.className
                + ") go without TFO, the agent does not handle that path; " + path.remedy());
        return new Counted(path.name(), new LongAdder());
    }

    /** Sockets by path name (JMX, the counters line), in name order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        byClass.values().forEach(c -> counts.merge(c.path, c.count.sum(), Long::sum));
        return counts;
    }

    /** "not covered: 0", or "not covered: 12 (Netty epoll client connects 10, Tomcat APR listeners 2)". */
    public String summary() {
        Map<String, Long> counts = snapshot();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder s = new StringBuilder("not covered: ").append(total);
        String sep = " (";
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return counts.isEmpty() ? s.toString() : s.append(')').toString();
    }

    /** What a path is called in the lines, and how to get TFO instead. */
    record Path(String name, String remedy) {
        private static final String NETTY = "io.netty.channel.";

        /** The path of a socket opened through {@code className} (a shaded Netty keeps its prefix). */
        static Path of(String className, boolean listener) {
            int netty = className.lastIndexOf(NETTY);
            if (netty >= 0) {
                String prefix = className.substring(0, netty);
                String transport = transport(className.substring(netty + NETTY.length()));
                String name = "Netty " + transport + (prefix.isEmpty() ? "" : " shaded under "
                        + prefix.substring(0, prefix.length() - 1)) + (listener ? " listeners" : " client connects");
                return new Path(name, "for a stack that picks its transport itself (gRPC, Reactor Netty) -D" + prefix
                        + "io.netty.transport.noNative=true moves it to Netty's NIO transport, which has TFO;"
                        + " code that asks for a native channel class can ask for Nio*Channel");
            }
            if (className.endsWith(".AprEndpoint")) {
                return new Path("Tomcat APR listeners", "Tomcat's NIO or NIO2 connector has TFO");
            }
            return new Path(className + (listener ? " listeners" : " client connects"),
                    "the JDK's sockets and channels have TFO");
        }

        /** {@code epoll.LinuxSocket} to epoll; {@code uring.IoUringSocketChannel} to io_uring. */
        private static String transport(String afterChannel) {
            String pkg = afterChannel.substring(0, Math.max(0, afterChannel.indexOf('.')));
            switch (pkg) {
                case "uring":
                    return "io_uring";
                case "epoll":
                case "kqueue":
                    return pkg;
                default:
                    return "native";
            }
        }
    }
}
