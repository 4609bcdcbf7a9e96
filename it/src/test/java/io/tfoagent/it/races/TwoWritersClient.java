package io.tfoagent.it.races;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.ResultLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two threads write the first bytes of one fresh, deferred connection at once (DESIGN.md hazard
 * 12): each round connects, then a GET writer and a POST writer, released together by a
 * {@link CyclicBarrier}, each make one write call; the JDK's write lock decides whose bytes go
 * first, and those are what may ride in the SYN. Then the main thread reads the response to the
 * first request and closes. With {@code writers=1} only the GET writer runs: the control that
 * TFO still works on this path.
 *
 * <p>Prints {@code RESULT two-writers api=.. writers=.. rounds=.. deferred=.. get=<tally>
 * post=<tally> response=<tally>}. Arguments: {@code <host> <port> <rounds> <api> <writers>}.
 * Exits 0 once all rounds ran; the test judges what they saw and what the server saw.
 */
public final class TwoWritersClient {
    /** Bounds the wait of each writer at the barrier and of the main thread for each writer. */
    private static final long STEP_BOUND_SECONDS = 10;

    private TwoWritersClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofSeconds(90));
        int rounds = Integer.parseInt(args[2]);
        String api = args[3];
        int writers = Integer.parseInt(args[4]);
        if (writers != 1 && writers != 2) {
            throw new IllegalArgumentException("writers: 1 or 2");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
            Thread t = new Thread(task, "writer");
            t.setDaemon(true);
            return t;
        });
        CyclicBarrier start = new CyclicBarrier(writers);
        Tally get = new Tally();
        Tally post = new Tally();
        Tally response = new Tally();
        int deferred = 0;
        for (int round = 0; round < rounds; round++) {
            try (ClientConnection c = ClientConnection.open(api, target)) {
                deferred += c.deferred() ? 1 : 0;
                byte[] getRequest = ClientSockets.request("GET", "/get-" + round);
                byte[] postRequest = ClientSockets.request("POST", "/post-" + round);
                Future<String> getWriter = threads.submit(() -> write(c, start, getRequest));
                Future<String> postWriter = writers == 2 ? threads.submit(() -> write(c, start, postRequest)) : null;
                get.add(getWriter.get(STEP_BOUND_SECONDS, TimeUnit.SECONDS));
                if (postWriter != null) {
                    post.add(postWriter.get(STEP_BOUND_SECONDS, TimeUnit.SECONDS));
                }
                try {
                    response.add(c.readResponse());
                } catch (IOException e) {
                    response.thrown(e);
                }
            }
        }
        new ResultLine("two-writers").with("api", api).with("writers", writers).with("rounds", rounds)
                .with("deferred", deferred).with("get", get).with("post", post).with("response", response).print();
        System.exit(0);
    }

    /** Waits for the other writer, then writes: {@code ok}, or the class of what the write threw. */
    private static String write(ClientConnection c, CyclicBarrier start, byte[] request) throws Exception {
        start.await(STEP_BOUND_SECONDS, TimeUnit.SECONDS);
        try {
            c.write(request);
            return Tally.OK;
        } catch (IOException e) {
            return e.getClass().getName();
        }
    }
}
