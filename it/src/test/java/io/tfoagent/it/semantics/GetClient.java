package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.shim.TcpExtCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Plain GETs on fresh connections, through {@code java.net.Socket} and through a blocking
 * SocketChannel, for runs under other instrumentation (JFR) or another socket implementation
 * ({@code -Djdk.net.usePlainSocketImpl=true}). For each API it prints the requests that got a 200
 * and how much this namespace's kernel counter TCPFastOpenActive (SYN data acknowledged) grew.
 *
 * <p>Arguments: {@code <host> <port> <count> <api>...} with api {@code socket} or {@code channel}.
 * Exits 0 when every request got a 200.
 */
public final class GetClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final int BOUND_MILLIS = 5000;

    private GetClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        PeerLife.arm(Duration.ofMinutes(1));
        InetSocketAddress target = ClientSockets.address(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        boolean allPassed = true;
        for (int a = 3; a < args.length; a++) {
            String api = args[a];
            long activeBefore = TcpExtCounters.read().get(TcpExtCounters.ACTIVE);
            int ok = 0;
            String firstFailure = "none";
            for (int i = 0; i < count; i++) {
                String status;
                try {
                    status = api.equals("socket") ? viaSocket(target, "/get-socket-" + i)
                            : viaChannel(target, "/get-channel-" + i);
                } catch (IOException e) {
                    status = e.toString();
                }
                if (status.equals("HTTP/1.1 200 OK")) {
                    ok++;
                } else if (firstFailure.equals("none")) {
                    firstFailure = status;
                }
            }
            long active = TcpExtCounters.read().get(TcpExtCounters.ACTIVE) - activeBefore;
            allPassed &= ok == count;
            new ResultLine(api).with("pass", ok == count).with("ok", ok).with("activeDelta", active)
                    .with("firstFailure", firstFailure).print();
        }
        System.exit(allPassed ? 0 : 1);
    }

    private static String viaSocket(InetSocketAddress target, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(BOUND_MILLIS);
            socket.getOutputStream().write(ClientSockets.request("GET", path));
            return ClientSockets.statusLine(socket.getInputStream());
        }
    }

    private static String viaChannel(InetSocketAddress target, String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open();
                Watchdog watchdog = Watchdog.closeAfter(channel, BOUND_MILLIS)) {
            channel.connect(target);
            ByteBuffer request = ByteBuffer.wrap(ClientSockets.request("GET", path));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(256);
            for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
                response.write(buffer.array(), 0, n);
            }
            String text = response.toString(StandardCharsets.US_ASCII);
            return text.contains("\r\n") ? text.substring(0, text.indexOf("\r\n")) : text;
        }
    }
}
