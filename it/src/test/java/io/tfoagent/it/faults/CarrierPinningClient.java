package io.tfoagent.it.faults;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.it.semantics.PeerLife;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual threads on one carrier (DESIGN.md §4 hazard 16; run it with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1},
 * JDK 21+; compiled for Java 17, so the virtual-thread API is reached reflectively): one virtual thread ticks every 10 ms and records the largest gap between two ticks,
 * while others connect, with a connect timeout of 1 s, to a dead destination and to a live one.
 * A native wait that pins the carrier stops the ticker for as long as it lasts.
 *
 * <p>Arguments: {@code <dead host> <live host> <port>}. Prints {@code DEAD <outcome>} per attempt to
 * the dead host, {@code LIVE <ok> <failed>}, then {@code MAXGAP <ms>}, and exits 0.
 */
public final class CarrierPinningClient {
    private static final int ROUNDS = 3;
    private static final int LIVE_PER_ROUND = 5;
    private static final int CONNECT_TIMEOUT = 1000;

    private CarrierPinningClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        InetSocketAddress dead = new InetSocketAddress(args[0], Integer.parseInt(args[2]));
        InetSocketAddress live = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        PeerLife.armLifetime(Duration.ofSeconds(60));

        AtomicLong maxGap = new AtomicLong();
        Thread ticker = startVirtual(() -> {
            long last = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                maxGap.accumulateAndGet(now - last, Math::max);
                last = now;
            }
        });
        int liveOk = 0;
        int liveFailed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String[] deadOutcome = new String[1];
            Thread toDead = startVirtual(() -> deadOutcome[0] = get(dead));
            int[] counts = new int[2];
            Thread toLive = startVirtual(() -> {
                for (int i = 0; i < LIVE_PER_ROUND; i++) {
                    counts[get(live).startsWith("OK") ? 0 : 1]++;
                }
            });
            toDead.join(15_000);
            toLive.join(15_000);
            System.out.println("DEAD " + deadOutcome[0]);
            liveOk += counts[0];
            liveFailed += counts[1];
        }
        ticker.interrupt();
        ticker.join(5_000);
        System.out.println("LIVE " + liveOk + " " + liveFailed);
        System.out.println("MAXGAP " + TimeUnit.NANOSECONDS.toMillis(maxGap.get()));
        System.out.flush();
        System.exit(0);
    }

    private static Thread startVirtual(Runnable task) {
        try {
            return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no virtual threads on " + Runtime.version(), e);
        }
    }

    /** A GET with a connect timeout and a read timeout; {@code OK <ms>} or {@code <exception> <ms>}. */
    private static String get(InetSocketAddress target) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT);
            socket.setSoTimeout(2 * CONNECT_TIMEOUT);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + target.getHostString() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            in.readAllBytes();
            return "OK " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } catch (Exception e) {
            return e.getClass().getName() + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }
}
