package io.tfoagent.it.rtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Command line of the delay line (used by {@code it/rtt.sh}).
 *
 * <pre>
 * run --a NS --b NS --rtt-ms N [--a-to-b-ms X --b-to-a-ms Y] [--subnet S] [--status FILE] [--parent PID]
 *     runs the line between two existing namespaces until SIGTERM/SIGINT (or until process PID
 *     ends); prints READY and the addresses; rewrites FILE with the counters every second.
 * measure [--rtt-ms 10,50,100] [--count 200] [--pps 3000]
 *     makes its own namespaces and prints accuracy (TCP connect time vs RTT), CPU cost at idle,
 *     at PPS small UDP packets a second, and for an 8 MB TCP transfer.
 * </pre>
 */
public final class DelayLineMain {
    private DelayLineMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command");
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "run" -> run(options);
            case "measure" -> measure(options);
            default -> usage("unknown command " + args[0]);
        }
    }

    private static void run(Map<String, String> options) throws InterruptedException, IOException {
        String a = required(options, "a");
        String b = required(options, "b");
        Duration rtt = millis(required(options, "rtt-ms"));
        DelayLine.Config config = DelayLine.Config.of(a, b, rtt)
                .withSubnet(Integer.parseInt(options.getOrDefault("subnet", "" + DelayLine.Config.DEFAULT_SUBNET)));
        if (options.containsKey("a-to-b-ms") || options.containsKey("b-to-a-ms")) {
            config = config.withDelays(millis(required(options, "a-to-b-ms")), millis(required(options, "b-to-a-ms")));
        }
        Path status = options.containsKey("status") ? Path.of(options.get("status")) : null;
        DelayLine line = DelayLine.start(config);
        if (options.containsKey("parent")) {
            exitWithParent(Long.parseLong(options.get("parent")));
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            line.close();
            main.interrupt();
            System.out.println("STOPPED\n" + line.stats());
            writeStatus(status, line, "stopped");
        }, "delayline-shutdown"));
        DelayLine.Endpoint ea = line.a();
        DelayLine.Endpoint eb = line.b();
        System.out.printf("READY rtt=%.3fms a->b=%.3fms b->a=%.3fms%n", line.rtt().toNanos() / 1e6,
                config.delayAToB().toNanos() / 1e6, config.delayBToA().toNanos() / 1e6);
        System.out.printf("A %s dev %s: %s, %s (peer %s, %s)%n", ea.namespace(), ea.device(), ea.ipv4(), ea.ipv6(),
                ea.peerIpv4(), ea.peerIpv6());
        System.out.printf("B %s dev %s: %s, %s (peer %s, %s)%n", eb.namespace(), eb.device(), eb.ipv4(), eb.ipv6(),
                eb.peerIpv4(), eb.peerIpv6());
        System.out.flush();
        try {
            while (line.failure() == null) {
                writeStatus(status, line, "running");
                Thread.sleep(1_000);
            }
        } catch (InterruptedException stopping) {
            return; // the shutdown hook closes the line
        }
        System.err.println("FAILED " + line.failure());
        line.close();
        writeStatus(status, line, "failed: " + line.failure());
        System.exit(1);
    }

    /** A line whose starter died must not run on forever: exit (the shutdown hook closes the line). */
    private static void exitWithParent(long pid) {
        ProcessHandle parent = ProcessHandle.of(pid).orElse(null);
        Thread watchdog = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("parent " + pid + " is gone: stopping");
            System.exit(3);
        }, "delayline-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static synchronized void writeStatus(Path status, DelayLine line, String state) {
        if (status == null) {
            return;
        }
        try {
            Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
            Files.writeString(tmp, "state " + state + "\n" + line + "\n" + line.stats() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("cannot write " + status + ": " + e);
        }
    }

    private static void measure(Map<String, String> options) {
        List<Duration> rtts = new ArrayList<>();
        for (String ms : options.getOrDefault("rtt-ms", "10,50,100").split(",")) {
            rtts.add(millis(ms));
        }
        int count = Integer.parseInt(options.getOrDefault("count", "200"));
        int pps = Integer.parseInt(options.getOrDefault("pps", "3000"));
        try (NetNamespace client = NetNamespace.createUnique("client");
             NetNamespace server = NetNamespace.createUnique("server")) {
            for (Duration rtt : rtts) {
                try (DelayLine line = DelayLine.start(client.name(), server.name(), rtt)) {
                    String address = line.b().ipv4();
                    System.out.printf("RTT %.1f ms%n", rtt.toNanos() / 1e6);
                    long cpu0 = cpu(line);
                    sleep(Duration.ofSeconds(2));
                    System.out.printf("  idle cpu: %.2f ms/s%n", (cpu(line) - cpu0) / 2e6);
                    RttProbe.Summary v4 = RttProbe.Summary.of(RttProbe.connectTimes(client, server, address, 7001, 10, count));
                    System.out.println("  tcp connect v4 error: " + v4.errorsAgainst(rtt));
                    RttProbe.Summary v6 = RttProbe.Summary.of(
                            RttProbe.connectTimes(client, server, line.b().ipv6(), 7002, 10, count));
                    System.out.println("  tcp connect v6 error: " + v6.errorsAgainst(rtt));
                    RttProbe.Summary normal = RttProbe.Summary.of(
                            RttProbe.connectTimes(client, server, address, 7005, 10, count, false));
                    System.out.println("  tcp connect v4 error, probe thread not SCHED_FIFO: " + normal.errorsAgainst(rtt));
                    System.out.println("  after probes: " + line.stats().toString().replace("\n", "\n  "));
                    DelayLine.Stats s1 = line.stats();
                    long t1 = System.nanoTime();
                    RttProbe.udpPaced(client, server, address, 7003, pps, 200, Duration.ofSeconds(3));
                    double seconds = (System.nanoTime() - t1) / 1e9;
                    DelayLine.Stats s2 = line.stats();
                    System.out.printf("  %d pps udp (200 B): cpu %.1f ms/s (reader %.1f, writer %.1f), dropped %d%n", pps,
                            (s2.cpuNanos() - s1.cpuNanos()) / 1e6 / seconds,
                            (s2.aToB().readerCpuNanos() - s1.aToB().readerCpuNanos()) / 1e6 / seconds,
                            (s2.writerCpuNanos() - s1.writerCpuNanos()) / 1e6 / seconds, s2.dropped() - s1.dropped());
                    byte[] data = new byte[8 << 20];
                    new Random(1).nextBytes(data);
                    long cpu2 = cpu(line);
                    long t2 = System.nanoTime();
                    byte[] got = RttProbe.tcpTransfer(client, server, address, 7004, data, Duration.ofSeconds(60));
                    long elapsed = System.nanoTime() - t2;
                    System.out.printf("  8 MB tcp: %s in %.0f ms (%.1f MB/s), cpu %.0f ms%n",
                            Arrays.equals(data, got) ? "intact" : "CORRUPT", elapsed / 1e6,
                            data.length / (elapsed / 1e9) / 1e6, (cpu(line) - cpu2) / 1e6);
                    System.out.println("  " + line.stats().toString().replace("\n", "\n  "));
                }
            }
        }
    }

    private static long cpu(DelayLine line) {
        return line.stats().cpuNanos();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration millis(String ms) {
        return Duration.ofNanos(Math.round(Double.parseDouble(ms) * 1e6));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                usage("bad option " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("missing --" + name);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("DelayLineMain: " + problem + "\nusage:\n"
                + "  run --a NS --b NS --rtt-ms N [--a-to-b-ms X --b-to-a-ms Y] [--subnet S] [--status FILE] [--parent PID]\n"
                + "  measure [--rtt-ms 10,50,100] [--count 200] [--pps 3000]");
        System.exit(2);
    }
}
