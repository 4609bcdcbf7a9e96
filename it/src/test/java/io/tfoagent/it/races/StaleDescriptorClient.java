package io.tfoagent.it.races;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.ResultLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * I/O on a socket the application already closed, while a new socket has its fd number
 * (DESIGN.md hazard 11). Each round: socket A does a GET and is closed; socket B connects (the
 * kernel gives it A's fd number, and defers its connect: cookie cached); then the application
 * uses its stale reference to A:
 * <ul>
 * <li>{@code write}: writes a GET on A, then a POST on B and reads B's response. The JDK must
 *     throw for A what it throws without the agent; the server must see B's POST without SYN
 *     data (an agent that looks state up by the number lets A's GET "open" B's gate, and B's POST
 *     then rides in the SYN);
 * <li>{@code read}: reads on A, then a GET on B. B's GET, and every later GET, must still ride
 *     in the SYN (an agent that takes A's read for B's teaches B's destination "server speaks
 *     first" for good).
 * </ul>
 * Prints {@code RESULT stale-<mode> api=.. rounds=.. reused=<rounds where B got A's number>
 * deferred=<rounds where B's connect was deferred> stale=<tally> b_write=<tally> b_response=<tally>}.
 *
 * <p>Arguments: {@code <host> <port> <rounds> <api> <mode>}; api {@code socket} or {@code channel},
 * mode {@code write} or {@code read}. Exits 0 once all rounds ran; the test judges what they saw.
 */
public final class StaleDescriptorClient {
    private StaleDescriptorClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofSeconds(90));
        int rounds = Integer.parseInt(args[2]);
        String api = args[3];
        boolean staleWrite = switch (args[4]) {
            case "write" -> true;
            case "read" -> false;
            default -> throw new IllegalArgumentException("mode: write or read, not " + args[4]);
        };
        Tally a = new Tally();
        Tally stale = new Tally();
        Tally bWrite = new Tally();
        Tally bResponse = new Tally();
        int reused = 0;
        int deferred = 0;
        for (int round = 0; round < rounds; round++) {
            ClientConnection first = ClientConnection.open(api, target);
            try (ClientConnection c = first) {
                c.write(ClientSockets.request("GET", "/a-" + round));
                a.add(c.readResponse());
            } catch (IOException e) {
                a.thrown(e);
            }
            try (ClientConnection second = ClientConnection.open(api, target)) {
                reused += second.fd == first.fd ? 1 : 0;
                deferred += second.deferred() ? 1 : 0;
                try {
                    if (staleWrite) {
                        first.write(ClientSockets.request("GET", "/stale-" + round));
                    } else {
                        first.readSome();
                    }
                    stale.ok();
                } catch (IOException e) {
                    stale.thrownWithMessage(e);
                }
                try {
                    second.write(ClientSockets.request(staleWrite ? "POST" : "GET", "/b-" + round));
                    bWrite.ok();
                } catch (IOException e) {
                    bWrite.thrown(e);
                    continue;
                }
                try {
                    bResponse.add(second.readResponse());
                } catch (IOException e) {
                    bResponse.thrown(e);
                }
            }
        }
        new ResultLine("stale-" + args[4]).with("api", api).with("rounds", rounds).with("reused", reused)
                .with("deferred", deferred).with("a_response", a).with("stale", stale).with("b_write", bWrite)
                .with("b_response", bResponse).print();
        System.exit(0);
    }
}
