package io.tfoagent.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of the test's own, with {@code lo} up and TFO on for client and server
 * ({@code net.ipv4.tcp_fastopen=3}: the sysctl is per namespace, and its default lacks the
 * server bit). Deleting it also deletes the veth ends inside it, and with them their peers.
 */
final class NetNs implements AutoCloseable {
    private static final String PREFIX = "tfoit-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LINK_UP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static boolean staleRemoved;

    private final String name;

    /** The addresses of a veth pair: this side is host 1, the peer side host 2. */
    record Link(String localIpv4, String peerIpv4, String localIpv6, String peerIpv6) {}

    private NetNs(String name) {
        this.name = name;
    }

    /** Skips the calling test (or class, from {@code @BeforeAll}) where namespaces cannot be made. */
    static void assumeRoot() {
        String uid = Command.run(new ProcessBuilder("id", "-u"), COMMAND_TIMEOUT).requireSuccess().stdout().trim();
        assumeTrue(uid.equals("0"), "needs root for ip netns (run as root, or see README)");
    }

    static NetNs create() {
        removeStaleOnce();
        NetNs ns = new NetNs(PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        ip("netns", "add", ns.name);
        try {
            ip("-n", ns.name, "link", "set", "lo", "up");
            ns.sysctl(FastOpenSysctl.NAME, 3);
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * Joins this namespace to {@code peer} by a veth pair on 198.18.{subnet}.0/24 and
     * 2001:2:0:{subnet}::/64, and waits until both ends are up.
     */
    Link link(NetNs peer, int subnet) {
        Link link = new Link("198.18." + subnet + ".1", "198.18." + subnet + ".2",
                "2001:2:0:" + subnet + "::1", "2001:2:0:" + subnet + "::2");
        String local = "veth" + subnet + "a";
        String remote = "veth" + subnet + "b";
        ip("-n", name, "link", "add", local, "type", "veth", "peer", "name", remote, "netns", peer.name);
        configure(local, link.localIpv4(), link.localIpv6());
        peer.configure(remote, link.peerIpv4(), link.peerIpv6());
        awaitUp(local);
        peer.awaitUp(remote);
        return link;
    }

    void sysctl(String key, int value) {
        Command.run(exec(List.of("sysctl", "-qw", key + "=" + value)), COMMAND_TIMEOUT).requireSuccess();
    }

    /** A process builder for {@code command} run inside this namespace. */
    ProcessBuilder exec(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /** Runs {@code command} inside this namespace; fails unless it exits 0. Returns its stdout. */
    String run(String... command) {
        return Command.run(exec(List.of(command)), COMMAND_TIMEOUT).requireSuccess().stdout();
    }

    /** The veth device {@link #link} made on the peer's side of {@code subnet} (the caller's is "a", the peer's "b"). */
    static String peerDevice(int subnet) {
        return "veth" + subnet + "b";
    }

    /** This namespace's own TcpExt counters (the kernel's, not the agent's). */
    TcpExtCounters tcpExt() {
        String netstat = Command.run(exec(List.of("cat", "/proc/net/netstat")), COMMAND_TIMEOUT)
                .requireSuccess().stdout();
        try {
            return TcpExtCounters.parse(netstat);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable /proc/net/netstat in " + name, e);
        }
    }

    @Override
    public void close() {
        ip("netns", "del", name);
    }

    @Override
    public String toString() {
        return name;
    }

    private void configure(String device, String ipv4, String ipv6) {
        ip("-n", name, "addr", "add", ipv4 + "/24", "dev", device);
        // nodad: the address is usable at once instead of after duplicate detection.
        ip("-n", name, "addr", "add", ipv6 + "/64", "dev", device, "nodad");
        ip("-n", name, "link", "set", device, "up");
    }

    /**
     * The kernel turns the link's operational state UP (and gives it a real qdisc) a little after
     * {@code link set up}; packets sent before then are dropped.
     */
    private void awaitUp(String device) {
        Instant deadline = Instant.now().plus(LINK_UP_TIMEOUT);
        while (!ip("-n", name, "-o", "link", "show", "dev", device).contains("state UP")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(device + " in " + name + " not up within " + LINK_UP_TIMEOUT);
            }
            pause(POLL_INTERVAL);
        }
    }

    /** The gap between two polls; the deadline, not this, bounds the wait. */
    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Namespaces left by test JVMs that died before their cleanup ran; ours carry the owner's pid. */
    private static synchronized void removeStaleOnce() {
        if (staleRemoved) {
            return;
        }
        staleRemoved = true;
        for (String line : ip("netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (ns.startsWith(PREFIX) && !ownerAlive(ns)) {
                ip("netns", "del", ns);
            }
        }
    }

    private static boolean ownerAlive(String ns) {
        String[] parts = ns.substring(PREFIX.length()).split("-");
        try {
            return ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Command.run(new ProcessBuilder(command), COMMAND_TIMEOUT).requireSuccess().stdout();
    }
}
