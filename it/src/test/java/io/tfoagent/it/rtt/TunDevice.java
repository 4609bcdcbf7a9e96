package io.tfoagent.it.rtt;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A TUN device (IP packets, no packet-info header) owned by an open {@code /dev/net/tun} fd.
 * The device lives in the namespace of the thread that opened it (see {@link NetNamespace#call})
 * and vanishes when the fd is closed: it is not persistent, so no device outlives the JVM.
 * The fd is non-blocking; readers wait with {@code poll(2)} next to a stop eventfd.
 */
final class TunDevice implements AutoCloseable {
    private final String namespace;
    private final String name;
    private final int fd;
    private volatile boolean closed;

    private TunDevice(String namespace, String name, int fd) {
        this.namespace = namespace;
        this.name = name;
        this.fd = fd;
    }

    /** Opens a TUN device {@code name} inside {@code ns}. */
    static TunDevice open(NetNamespace ns, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= RttLibc.IFNAMSIZ) {
            throw new IllegalArgumentException("device name must be 1.." + (RttLibc.IFNAMSIZ - 1) + " characters: " + name);
        }
        int fd = ns.call(() -> {
            int tun = RttLibc.open("/dev/net/tun", RttLibc.O_RDWR | RttLibc.O_NONBLOCK | RttLibc.O_CLOEXEC);
            if (tun < 0) {
                throw new IllegalStateException("open /dev/net/tun: " + RttLibc.describe(Native.getLastError()));
            }
            Memory ifreq = new Memory(RttLibc.IFREQ_SIZE);
            ifreq.clear();
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            ifreq.setShort(RttLibc.IFNAMSIZ, (short) (RttLibc.IFF_TUN | RttLibc.IFF_NO_PI));
            if (RttLibc.ioctl(tun, RttLibc.TUNSETIFF, ifreq) != 0) {
                int errno = Native.getLastError();
                RttLibc.close(tun);
                throw new IllegalStateException("TUNSETIFF " + name + " in " + ns + ": " + RttLibc.describe(errno));
            }
            return tun;
        });
        return new TunDevice(ns.name(), name, fd);
    }

    int fd() {
        return fd;
    }

    String name() {
        return name;
    }

    String namespace() {
        return namespace;
    }

    /** Closing the fd deletes the device (and its addresses and routes) from its namespace. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            RttLibc.close(fd);
        }
    }

    /**
     * The kernel's drop counter of this device ({@code /proc/net/dev} of its namespace): receive
     * side (packets written to the fd that the stack could not take) or transmit side (packets
     * routed to the device that found its queue to the fd full). -1 if unreadable.
     */
    long dropCounter(boolean receive) {
        if (closed || !Files.exists(NetNamespace.path(namespace))) {
            return -1;
        }
        try {
            return NetNamespace.existing(namespace).call(() -> {
                for (String line : Files.readAllLines(Path.of("/proc/thread-self/net/dev"))) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith(name + ":")) {
                        // rx: bytes packets errs drop fifo frame compressed multicast, then tx: bytes packets errs drop ...
                        String[] fields = trimmed.substring(name.length() + 1).trim().split("\\s+");
                        return Long.parseLong(fields[receive ? 3 : 11]);
                    }
                }
                return -1L;
            });
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Waits until the device is gone from its namespace (or the namespace itself is), so that a
     * new line may take the same name at once.
     */
    void awaitGone(Duration timeout) {
        if (!Files.exists(NetNamespace.path(namespace))) {
            return;
        }
        NetNamespace ns = NetNamespace.existing(namespace);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ns.call(() -> Files.readAllLines(Path.of("/proc/thread-self/net/dev")).stream()
                .anyMatch(line -> line.trim().startsWith(name + ":")))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(this + " still there " + timeout + " after its fd was closed");
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Override
    public String toString() {
        return name + "@" + namespace;
    }
}
