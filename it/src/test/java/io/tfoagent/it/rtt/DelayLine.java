package io.tfoagent.it.rtt;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Round-trip time between two network namespaces, for a kernel without {@code sch_netem}.
 *
 * <p>One TUN device in each namespace, joined point to point ({@code 198.18.S.1 <-> 198.18.S.2},
 * {@code 2001:2:0:S::1 <-> 2001:2:0:S::2}, S = {@link Config#subnet()}). A reader thread per
 * direction takes every IP packet the kernel routes into its namespace's device, stamps it with
 * arrival time plus that direction's one-way delay, and appends it to the direction's ring. One
 * writer thread serves both rings: it parks until shortly before the earliest head packet is
 * due, spins the rest, and writes the packet into the other namespace's device, where the kernel
 * receives it as if from a wire. Each ring is FIFO, so order is kept per direction; up to
 * {@link Config#queueLimit()} packets per direction are in flight, beyond that tail drop (counted).
 *
 * <p>Precision: the threads ask for {@code SCHED_FIFO} (root has it) so that a busy machine
 * does not delay their wake-ups by milliseconds, and timer slack 1 ns. The forwarding path
 * allocates nothing on the Java heap (packets live in native rings), so the line itself causes
 * no GC pauses.
 *
 * <p>The TUN devices are created straight inside the namespaces (by a thread that
 * {@code setns}-es there), are not persistent, and vanish when {@link #close} closes their fds,
 * or when the JVM dies. The namespaces are the caller's.
 *
 * <pre>{@code
 * try (NetNamespace client = NetNamespace.createUnique("client");
 *      NetNamespace server = NetNamespace.createUnique("server");
 *      DelayLine line = DelayLine.start(client.name(), server.name(), Duration.ofMillis(50))) {
 *     // listen in server on line.b().ipv4(); connect from client to it (NetNamespace#call)
 * }
 * }</pre>
 */
public final class DelayLine implements AutoCloseable {
    /** Ask for SCHED_FIFO (default true); without it wake-ups on a loaded machine can be ms late. */
    static final boolean REALTIME = Boolean.parseBoolean(System.getProperty("tfortt.realtime", "true"));
    private static final int FIFO_PRIORITY = Integer.getInteger("tfortt.priority", 10);
    /**
     * The writer parks until a margin before a packet is due, then spins the rest. Measured here
     * with timer slack 1 ns: parkNanos wakes p50 30 us, p90 40 us, p99 80 us, max ~300 us late
     * under SCHED_FIFO on a loaded 2-core VM (without SCHED_FIFO, p99 over 1 ms under load).
     * The spin costs CPU per packet (margin minus wake-up lateness), so by default the margin
     * follows the machine: an online estimate of the 90th percentile of the writer's own
     * wake-up lateness, plus {@link #SPIN_HEADROOM_NANOS}. {@code -Dtfortt.spinMicros=N} fixes it
     * (0: never spin; about 30 us later per packet, a third less CPU).
     */
    private static final long FIXED_SPIN_NANOS = Long.getLong("tfortt.spinMicros", -1) * 1000;
    private static final long SPIN_HEADROOM_NANOS = 10_000;
    private static final long SPIN_MIN_NANOS = 10_000;
    private static final long SPIN_MAX_NANOS = 1_000_000;
    /** Steps of the quantile estimate: up 9, down 1 settles where 10% of wake-ups are later. */
    private static final long QUANTILE_STEP_NANOS = 500;
    /** A ring slot: MTU 1500 fits; TUN without offloads never hands over more than the MTU. */
    private static final int SLOT = 2048;
    private static final int MTU = 1500;
    private static final long JOIN_MILLIS = 5_000;

    /** One end of the line: its namespace, device and addresses, and the other end's. */
    public record Endpoint(String namespace, String device, String ipv4, String ipv6, String peerIpv4, String peerIpv6) {}

    /**
     * @param delayAToB  one-way delay of packets from A to B
     * @param subnet     0..255: the third IPv4 octet and the fourth IPv6 group; devices are {@code rtt<subnet>}
     * @param queueLimit packets held per direction before tail drop; rounded up to a power of two
     *                   (2 KiB of native memory each)
     */
    public record Config(String namespaceA, String namespaceB, Duration delayAToB, Duration delayBToA,
                         int subnet, int queueLimit) {
        public static final int DEFAULT_SUBNET = 200;
        public static final int DEFAULT_QUEUE_LIMIT = 8192;

        public Config {
            Objects.requireNonNull(namespaceA, "namespaceA");
            Objects.requireNonNull(namespaceB, "namespaceB");
            if (namespaceA.equals(namespaceB)) {
                throw new IllegalArgumentException("the two ends must be different namespaces: " + namespaceA);
            }
            requireDelay(delayAToB);
            requireDelay(delayBToA);
            if (subnet < 0 || subnet > 255) {
                throw new IllegalArgumentException("subnet must be 0..255: " + subnet);
            }
            if (queueLimit < 1 || queueLimit > (1 << 20)) {
                throw new IllegalArgumentException("queueLimit must be 1..2^20: " + queueLimit);
            }
        }

        /** RTT split evenly over both directions. */
        public static Config of(String namespaceA, String namespaceB, Duration rtt) {
            Duration half = requireDelay(rtt).dividedBy(2);
            return new Config(namespaceA, namespaceB, half, rtt.minus(half), DEFAULT_SUBNET, DEFAULT_QUEUE_LIMIT);
        }

        public Config withDelays(Duration aToB, Duration bToA) {
            return new Config(namespaceA, namespaceB, aToB, bToA, subnet, queueLimit);
        }

        public Config withSubnet(int newSubnet) {
            return new Config(namespaceA, namespaceB, delayAToB, delayBToA, newSubnet, queueLimit);
        }

        public Config withQueueLimit(int limit) {
            return new Config(namespaceA, namespaceB, delayAToB, delayBToA, subnet, limit);
        }

        private static Duration requireDelay(Duration d) {
            if (d == null || d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("delay must be 0..10 s: " + d);
            }
            return d;
        }
    }

    /**
     * Counters of one direction. Lateness: how long after its due time the writer handed a
     * packet to {@code write(2)}; the reader's wake-up after the kernel queued the packet comes
     * on top, and shows only in end-to-end probes. Kernel drops: packets the sending device could
     * not queue for the reader (its tx "drop") plus those the receiving device could not take
     * (its rx "drop"), from {@code /proc/net/dev} of each namespace; -1 where unreadable.
     */
    public record DirectionStats(String direction, Duration delay, long packets, long bytes, long droppedQueueFull,
                                 long droppedOversize, long writeErrors, long kernelDrops, long queuedNow, long maxQueued,
                                 long latenessP50Nanos, long latenessP99Nanos, long latenessMaxNanos, long readerCpuNanos) {
        /** Every packet lost on the way, by the line or by the kernel at either device. */
        public long dropped() {
            return droppedQueueFull + droppedOversize + writeErrors + Math.max(0, kernelDrops);
        }

        @Override
        public String toString() {
            return String.format("%s delay=%.3fms packets=%d bytes=%d drops(queue/oversize/write/kernel)=%d/%d/%d/%d"
                            + " queued=%d maxQueued=%d lateness(p50/p99/max)=%d/%d/%dus readerCpu=%dms",
                    direction, delay.toNanos() / 1e6, packets, bytes, droppedQueueFull, droppedOversize, writeErrors,
                    kernelDrops, queuedNow, maxQueued, latenessP50Nanos / 1000, latenessP99Nanos / 1000,
                    latenessMaxNanos / 1000, readerCpuNanos / 1_000_000);
        }
    }

    /** Both directions, the writer's CPU time, and whether the threads got SCHED_FIFO. */
    public record Stats(DirectionStats aToB, DirectionStats bToA, long writerCpuNanos, String scheduling, long spinNanos) {
        public long dropped() {
            return aToB.dropped() + bToA.dropped();
        }

        public long cpuNanos() {
            return aToB.readerCpuNanos() + bToA.readerCpuNanos() + writerCpuNanos;
        }

        @Override
        public String toString() {
            return aToB + "\n" + bToA + String.format("%nwriterCpu=%dms scheduling=%s spin=%dus",
                    writerCpuNanos / 1_000_000, scheduling, spinNanos / 1000);
        }
    }

    private final Config config;
    private final Endpoint a;
    private final Endpoint b;
    private final TunDevice tunA;
    private final TunDevice tunB;
    private final int stopFd;
    private final Ring aToB;
    private final Ring bToA;
    private final Thread writer;
    /** Park this long before a due time (written by the writer, read by the readers). */
    private volatile long spinNanos;
    /** The writer's estimate of the 90th percentile of its wake-up lateness. */
    private long wakeLatenessP90 = 50_000;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    /** When the parked writer means to wake (Long.MAX_VALUE: when told); 0 while it works. See Ring#drain. */
    private volatile long writerSleepsUntil;
    private volatile String scheduling = "?";
    private volatile long writerCpu;
    private boolean closed;

    /** A line of round-trip time {@code rtt} (half each way) between two existing namespaces. */
    public static DelayLine start(String namespaceA, String namespaceB, Duration rtt) {
        return start(Config.of(namespaceA, namespaceB, rtt));
    }

    public static DelayLine start(Config config) {
        NetNamespace nsA = NetNamespace.existing(config.namespaceA());
        NetNamespace nsB = NetNamespace.existing(config.namespaceB());
        String device = "rtt" + config.subnet();
        int s = config.subnet();
        Endpoint a = new Endpoint(nsA.name(), device, "198.18." + s + ".1", "2001:2:0:" + s + "::1",
                "198.18." + s + ".2", "2001:2:0:" + s + "::2");
        Endpoint b = new Endpoint(nsB.name(), device, a.peerIpv4(), a.peerIpv6(), a.ipv4(), a.ipv6());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            TunDevice tunA = TunDevice.open(nsA, device);
            opened.add(tunA);
            TunDevice tunB = TunDevice.open(nsB, device);
            opened.add(tunB);
            configure(nsA, a);
            configure(nsB, b);
            int stopFd = RttLibc.eventfd(0, RttLibc.EFD_CLOEXEC | RttLibc.EFD_NONBLOCK);
            if (stopFd < 0) {
                throw new IllegalStateException("eventfd: " + RttLibc.describe(Native.getLastError()));
            }
            return new DelayLine(config, a, b, tunA, tunB, stopFd);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private DelayLine(Config config, Endpoint a, Endpoint b, TunDevice tunA, TunDevice tunB, int stopFd) {
        this.config = config;
        this.a = a;
        this.b = b;
        this.tunA = tunA;
        this.tunB = tunB;
        this.stopFd = stopFd;
        this.spinNanos = FIXED_SPIN_NANOS >= 0 ? FIXED_SPIN_NANOS : wakeLatenessP90 + SPIN_HEADROOM_NANOS;
        this.aToB = new Ring("a->b", tunA, tunB, config.delayAToB(), config.queueLimit());
        this.bToA = new Ring("b->a", tunB, tunA, config.delayBToA(), config.queueLimit());
        this.writer = new Thread(this::writeLoop, "delayline-writer");
        writer.setDaemon(true);
        writer.start();
        aToB.reader.start();
        bToA.reader.start();
    }

    /** The end in namespace A: connect from here to {@code a().peerIpv4()}. */
    public Endpoint a() {
        return a;
    }

    /** The end in namespace B: listen here on {@code b().ipv4()} / {@code b().ipv6()}. */
    public Endpoint b() {
        return b;
    }

    public Config config() {
        return config;
    }

    public Duration rtt() {
        return Duration.ofNanos(aToB.delayNanos + bToA.delayNanos);
    }

    /** New RTT, half each way, for packets that arrive from now on (queued ones keep their time; order is kept). */
    public void setRtt(Duration rtt) {
        Config.requireDelay(rtt);
        Duration half = rtt.dividedBy(2);
        setDelays(half, rtt.minus(half));
    }

    public void setDelays(Duration aToBDelay, Duration bToADelay) {
        aToB.delayNanos = Config.requireDelay(aToBDelay).toNanos();
        bToA.delayNanos = Config.requireDelay(bToADelay).toNanos();
    }

    public Stats stats() {
        long wcpu = writer.isAlive() ? cpuTime(writer) : writerCpu;
        return new Stats(aToB.stats(), bToA.stats(), wcpu, scheduling, spinNanos);
    }

    /** The first error that stopped a forwarding thread, or null while all is well. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops the threads, then closes the devices' fds: the devices vanish. Queued packets are lost. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1);
            RttLibc.write(stopFd, Pointer.nativeValue(one), 8); // wakes both readers out of poll
        }
        LockSupport.unpark(writer);
        join(aToB.reader);
        join(bToA.reader);
        join(writer);
        tunA.close();
        tunB.close();
        RttLibc.close(stopFd);
        tunA.awaitGone(Duration.ofSeconds(5));
        tunB.awaitGone(Duration.ofSeconds(5));
        if (!aToB.reader.isAlive() && !bToA.reader.isAlive() && !writer.isAlive()) {
            aToB.slots.close();
            bToA.slots.close();
        } // else a thread is stuck in native code with the memory: leak it rather than crash
    }

    @Override
    public String toString() {
        return String.format("DelayLine[%s %s <- %.3f ms RTT -> %s %s]", a.namespace(), a.ipv4(), rtt().toNanos() / 1e6,
                b.namespace(), b.ipv4());
    }

    private static void configure(NetNamespace ns, Endpoint end) {
        // addrgenmode none: no link-local address, so no router solicitations or MLD chatter on the line.
        // txqueuelen: the device's own ring, the burst the reader may fall behind by without a drop.
        ns.ip("link", "set", "dev", end.device(), "mtu", "" + MTU, "txqueuelen", "10000", "addrgenmode", "none");
        ns.ip("link", "set", "dev", end.device(), "up");
        // Addresses after "up": an IPv6 peer address added to a down device gets no route to the peer.
        ns.ip("addr", "add", end.ipv4(), "peer", end.peerIpv4(), "dev", end.device());
        // nodad: usable at once, not after duplicate address detection.
        ns.ip("addr", "add", end.ipv6(), "peer", end.peerIpv6(), "dev", end.device(), "nodad");
    }

    private void fail(String where, Throwable t) {
        if (running && failure.compareAndSet(null, new IllegalStateException(where + ": " + t.getMessage(), t))) {
            System.err.println("DelayLine " + where + " stopped: " + t);
        }
    }

    /** SCHED_FIFO and 1 ns timer slack for the calling thread, where allowed; says what it got. */
    static String tuneThisThread() {
        RttLibc.prctl(RttLibc.PR_SET_TIMERSLACK, 1, 0, 0, 0);
        if (!REALTIME) {
            return "normal (tfortt.realtime=false)";
        }
        if (RttLibc.sched_setscheduler(0, RttLibc.SCHED_FIFO, new int[] {FIFO_PRIORITY}) == 0) {
            return "SCHED_FIFO " + FIFO_PRIORITY;
        }
        return "normal (SCHED_FIFO refused: " + RttLibc.describe(Native.getLastError()) + ")";
    }

    private void writeLoop() {
        try {
            scheduling = tuneThisThread();
            while (running) {
                Ring ring = aToB.isEmpty() ? bToA : bToA.isEmpty() || aToB.headDue() - bToA.headDue() <= 0 ? aToB : bToA;
                if (ring.isEmpty()) {
                    sleepUntil(Long.MAX_VALUE);
                    continue;
                }
                long due = ring.headDue();
                long now = System.nanoTime();
                long wait = due - now;
                if (wait > spinNanos) {
                    long deadline = due - spinNanos;
                    sleepUntil(deadline);
                    learnWakeLateness(System.nanoTime() - deadline);
                    continue;
                }
                while (wait > 0) {
                    Thread.onSpinWait();
                    now = System.nanoTime();
                    wait = due - now;
                }
                ring.writeHead(-wait);
            }
        } catch (Throwable t) {
            fail("writer", t);
        } finally {
            writerCpu = cpuTime(Thread.currentThread());
        }
    }

    /** Feeds one timed park's lateness to the quantile estimate behind {@link #spinNanos}. */
    private void learnWakeLateness(long lateness) {
        if (FIXED_SPIN_NANOS >= 0 || lateness < 0) {
            return; // fixed margin; or woken early by a reader, not by the timer
        }
        wakeLatenessP90 += lateness > wakeLatenessP90 ? 9 * QUANTILE_STEP_NANOS : -QUANTILE_STEP_NANOS;
        wakeLatenessP90 = Math.max(0, Math.min(SPIN_MAX_NANOS, wakeLatenessP90));
        spinNanos = Math.max(SPIN_MIN_NANOS, Math.min(SPIN_MAX_NANOS, wakeLatenessP90 + SPIN_HEADROOM_NANOS));
    }

    /**
     * Parks until {@code deadline} (a nanoTime), or until a reader publishes a packet due sooner.
     * The readers check {@link #writerSleepsUntil} after publishing; the writer re-checks the rings
     * after announcing it: one of the two sees the other.
     */
    private void sleepUntil(long deadline) {
        writerSleepsUntil = deadline;
        try {
            if (!running || wakesSooner(aToB, deadline) || wakesSooner(bToA, deadline)) {
                return;
            }
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, deadline - System.nanoTime());
            }
        } finally {
            writerSleepsUntil = 0;
        }
    }

    /** Whether the head of {@code ring} needs the writer awake before {@code deadline}. */
    private boolean wakesSooner(Ring ring, long deadline) {
        return !ring.isEmpty() && needsWriterBefore(ring.headDue(), deadline);
    }

    /** Whether a packet due at {@code due} needs the writer awake before {@code deadline} (MAX_VALUE: none). */
    private boolean needsWriterBefore(long due, long deadline) {
        return deadline == Long.MAX_VALUE || due - spinNanos - deadline < 0;
    }

    /**
     * One direction: its reader thread and a single-producer single-consumer ring of packets in
     * native memory. The reader owns {@code tail}, the writer {@code head}; both volatile.
     */
    private final class Ring {
        private static final int HISTOGRAM_MICROS = 10_000;

        private final String name;
        private final TunDevice from;
        private final TunDevice to;
        private final int mask;
        private final Memory slots;
        private final long base;
        private final long[] due;
        private final int[] length;
        private final Memory scratch = new Memory(65_536);
        private volatile long head;
        private volatile long tail;
        volatile long delayNanos;
        final Thread reader;
        // Each written by one thread, read racily by stats(): fine for counters.
        private volatile long bytes;
        private volatile long dropsFull;
        private volatile long dropsOversize;
        private volatile long writeErrors;
        private volatile long maxQueued;
        private final long[] latenessMicros = new long[HISTOGRAM_MICROS + 1];
        private volatile long latenessMax;
        private volatile long readerCpu;

        Ring(String name, TunDevice from, TunDevice to, Duration delay, int limit) {
            this.name = name;
            this.from = from;
            this.to = to;
            int capacity = Integer.highestOneBit(limit - 1 == 0 ? 1 : limit - 1) << 1;
            this.mask = capacity - 1;
            this.slots = new Memory((long) capacity * SLOT);
            this.base = Pointer.nativeValue(slots);
            this.due = new long[capacity];
            this.length = new int[capacity];
            this.delayNanos = delay.toNanos();
            this.reader = new Thread(this::readLoop, "delayline-" + name + "-reader");
            reader.setDaemon(true);
        }

        boolean isEmpty() {
            return head == tail;
        }

        /** Only when not empty. */
        long headDue() {
            return due[(int) (head & mask)];
        }

        /** Writer: sends the head packet on and frees its slot. */
        void writeHead(long latenessNanos) {
            long h = head;
            int i = (int) (h & mask);
            if (RttLibc.write(to.fd(), base + (long) i * SLOT, length[i]) < 0) {
                writeErrors++; // a packet lost, as on a wire; TCP recovers, the counter tells
            }
            head = h + 1;
            int micros = (int) Math.min(HISTOGRAM_MICROS, latenessNanos / 1000);
            latenessMicros[micros]++;
            if (latenessNanos > latenessMax) {
                latenessMax = latenessNanos;
            }
        }

        private void readLoop() {
            try {
                String got = tuneThisThread();
                if (!got.startsWith("SCHED_FIFO")) {
                    scheduling = got;
                }
                // struct pollfd[2]: {fd, events | revents << 16}
                int[] fds = {from.fd(), 0, stopFd, 0};
                while (running) {
                    fds[1] = RttLibc.POLLIN;
                    fds[3] = RttLibc.POLLIN;
                    if (RttLibc.poll(fds, 2, -1) < 0) {
                        int errno = Native.getLastError();
                        if (errno == RttLibc.EINTR) {
                            continue;
                        }
                        throw new IllegalStateException("poll: " + RttLibc.describe(errno));
                    }
                    if (!running || (fds[3] >>> 16) != 0) {
                        break;
                    }
                    drain();
                }
            } catch (Throwable t) {
                fail(name + " reader", t);
            } finally {
                readerCpu = cpuTime(Thread.currentThread());
            }
        }

        /** Reads until the device is empty. */
        private void drain() {
            while (true) {
                long t = tail;
                boolean full = t - head > mask;
                int i = (int) (t & mask);
                long address = full ? Pointer.nativeValue(scratch) : base + (long) i * SLOT;
                long n = RttLibc.read(from.fd(), address, full ? scratch.size() : SLOT);
                long now = System.nanoTime();
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == RttLibc.EAGAIN) {
                        return;
                    }
                    if (errno == RttLibc.EINTR) {
                        continue;
                    }
                    throw new IllegalStateException("read " + from + ": " + RttLibc.describe(errno));
                }
                if (full) {
                    dropsFull++;
                    continue;
                }
                if (n >= SLOT) {
                    dropsOversize++; // only if someone raised the MTU
                    continue;
                }
                long when = now + delayNanos;
                due[i] = when;
                length[i] = (int) n;
                tail = t + 1; // publishes the slot to the writer
                bytes += n;
                long queued = t + 1 - head;
                if (queued > maxQueued) {
                    maxQueued = queued;
                }
                long sleeping = writerSleepsUntil;
                if (sleeping != 0 && needsWriterBefore(when, sleeping)) {
                    LockSupport.unpark(writer);
                }
            }
        }

        DirectionStats stats() {
            long[] histogram = latenessMicros.clone();
            long total = 0;
            for (long c : histogram) {
                total += c;
            }
            long t = tail;
            long txDrops = from.dropCounter(false);
            long rxDrops = to.dropCounter(true);
            long kernelDrops = txDrops < 0 || rxDrops < 0 ? -1 : txDrops + rxDrops;
            return new DirectionStats(name, Duration.ofNanos(delayNanos), t, bytes, dropsFull, dropsOversize,
                    writeErrors, kernelDrops, Math.max(0, t - head), maxQueued, percentile(histogram, total, 0.50),
                    percentile(histogram, total, 0.99), latenessMax, reader.isAlive() ? cpuTime(reader) : readerCpu);
        }

        private long percentile(long[] histogram, long total, double q) {
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * total);
            long seen = 0;
            for (int i = 0; i < histogram.length; i++) {
                seen += histogram[i];
                if (seen >= rank) {
                    return i * 1000L;
                }
            }
            return HISTOGRAM_MICROS * 1000L;
        }
    }

    private void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            System.err.println("DelayLine: " + t.getName() + " did not stop within " + JOIN_MILLIS + " ms");
        }
    }

    private static long cpuTime(Thread t) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            return Math.max(0, threads.getThreadCpuTime(t.getId()));
        } catch (UnsupportedOperationException e) {
            return 0;
        }
    }
}
