package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A mixed client workload in rounds, for the live counters tests: each round, {@code N} GETs on
 * fresh connections to the HTTP port (which the test allows: replay-safe, so they ride in the SYN
 * once the kernel has a cookie) and {@code N} connections to the banner port (which it does not
 * allow), each reading the banner and closing.
 *
 * <p>Arguments: {@code <host> <httpPort> <bannerPort>}. Reads {@code N} lines from stdin, runs a
 * round for each and prints {@code ROUND <gets that got a 200> <banners read>}; exits 0 when
 * stdin ends.
 */
public final class MixedClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int BOUND_MILLIS = 5000;

    private MixedClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        PeerLife.armLifetime(Duration.ofMinutes(2));
        InetSocketAddress http = ClientSockets.address(args[0], Integer.parseInt(args[1]));
        InetSocketAddress banner = ClientSockets.address(args[0], Integer.parseInt(args[2]));
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int n = Integer.parseInt(line.trim());
            int gets = 0;
            int banners = 0;
            for (int i = 0; i < n; i++) {
                gets += get(http, "/mixed-" + i) ? 1 : 0;
                banners += banner(banner) ? 1 : 0;
            }
            System.out.println("ROUND " + gets + " " + banners);
        }
        System.exit(0);
    }

    private static boolean get(InetSocketAddress target, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(BOUND_MILLIS);
            socket.getOutputStream().write(ClientSockets.request("GET", path));
            return ClientSockets.statusLine(socket.getInputStream()).equals("HTTP/1.1 200 OK");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean banner(InetSocketAddress target) {
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(BOUND_MILLIS);
            byte[] read = socket.getInputStream().readNBytes(SemanticsServer.BANNER.length);
            return Arrays.equals(read, SemanticsServer.BANNER);
        } catch (IOException e) {
            return false;
        }
    }
}
