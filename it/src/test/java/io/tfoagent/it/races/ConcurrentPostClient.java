package io.tfoagent.it.races;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.ResultLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many threads of one JVM open, use and close connections at once, so that the number of
 * sockets the agent follows keeps crossing zero from several threads (the agent publishes it to
 * the hot path, which skips every socket while it reads 0). Each thread in turn: connect
 * (deferred: cookie cached), write a POST, read the response, close; even threads through
 * {@code java.net.Socket}, odd ones through a blocking {@code SocketChannel}. A POST that slips
 * past the agent unclassified is put in the SYN by the kernel: the server sees it.
 *
 * <p>Prints {@code RESULT concurrent-posts threads=.. connections=.. post=<tally> response=<tally>}.
 * Arguments: {@code <host> <port> <threads> <connections>} (connections in all, shared out).
 * Exits 0 once all ran; the test judges what they and the server saw.
 */
public final class ConcurrentPostClient {
    private static final long ALL_BOUND_SECONDS = 60;

    private ConcurrentPostClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofSeconds(90));
        int threads = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        AtomicInteger next = new AtomicInteger();
        Tally post = new Tally();
        Tally response = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String api = t % 2 == 0 ? "socket" : "channel";
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < connections; ) {
                    exchange(api, target, i, post, response);
                }
                return null;
            }));
        }
        pool.shutdown();
        boolean done = pool.awaitTermination(ALL_BOUND_SECONDS, TimeUnit.SECONDS);
        for (Future<?> worker : workers) {
            if (done) {
                worker.get(); // a worker's own failure (not an I/O outcome) fails the run
            }
        }
        new ResultLine("concurrent-posts").with("threads", threads).with("connections", connections)
                .with("finished", done).with("post", post).with("response", response).print();
        System.exit(done ? 0 : 1);
    }

    private static void exchange(String api, InetSocketAddress target, int i, Tally post, Tally response)
            throws ReflectiveOperationException {
        try (ClientConnection c = ClientConnection.open(api, target)) {
            try {
                c.write(ClientSockets.request("POST", "/post-" + i));
                post.ok();
            } catch (IOException e) {
                post.thrown(e);
                return;
            }
            try {
                response.add(c.readResponse());
            } catch (IOException e) {
                response.thrown(e);
            }
        } catch (IOException e) {
            post.thrown(e); // connect or close
        }
    }
}
