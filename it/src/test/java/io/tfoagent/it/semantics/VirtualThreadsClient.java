package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many virtual threads (JDK 21+), each sending a GET on a fresh {@code java.net.Socket}: the
 * agent's hooks run on virtual threads, whose sockets the JDK makes non-blocking and parks on
 * (DESIGN.md §4 hazard 4). Compiled for Java 17, so the virtual-thread API is reached reflectively.
 *
 * <p>Arguments: {@code <host> <port> <threads> <connectTimeoutMillis> <boundMillis>}. Prints
 * {@code RESULT virtual-threads}; exits 0 when every request got a 200 on a virtual thread.
 */
public final class VirtualThreadsClient {
    private VirtualThreadsClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        PeerLife.arm(Duration.ofMinutes(1));
        InetSocketAddress target = ClientSockets.address(args[0], Integer.parseInt(args[1]));
        int threads = Integer.parseInt(args[2]);
        int connectTimeout = Integer.parseInt(args[3]);
        long bound = Long.parseLong(args[4]);
        AtomicInteger onVirtualThreads = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<String>> results = new ArrayList<>();
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        for (int i = 0; i < threads; i++) {
            String path = "/virtual-" + i;
            results.add(executor.submit(() -> {
                if ((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread())) {
                    onVirtualThreads.incrementAndGet();
                }
                try (Socket socket = new Socket()) {
                    socket.connect(target, connectTimeout);
                    socket.setSoTimeout((int) bound);
                    socket.getOutputStream().write(ClientSockets.request("GET", path));
                    return ClientSockets.statusLine(socket.getInputStream());
                } catch (IOException e) {
                    return e.toString();
                }
            }));
        }
        executor.shutdown();
        boolean finished = executor.awaitTermination(bound, TimeUnit.MILLISECONDS);
        int ok = 0;
        String firstFailure = "none";
        for (Future<String> result : results) {
            String status = result.isDone() ? result.get() : "unfinished";
            if (status.equals("HTTP/1.1 200 OK")) {
                ok++;
            } else if (firstFailure.equals("none")) {
                firstFailure = status;
            }
        }
        boolean pass = finished && ok == threads && onVirtualThreads.get() == threads;
        new ResultLine("virtual-threads").with("pass", pass).with("ok", ok).with("virtual", onVirtualThreads.get())
                .with("finished", finished).with("ms", ClientSockets.millisSince(start))
                .with("firstFailure", firstFailure).print();
        System.exit(pass ? 0 : 1);
    }
}
