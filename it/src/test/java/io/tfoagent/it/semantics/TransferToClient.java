package io.tfoagent.it.semantics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Sends an HTTP request from a file with {@code FileChannel.transferTo} as the very first write
 * of a freshly connected, deferred SocketChannel (DESIGN.md §4 hazard 9: sendfile into a socket
 * whose SYN was never sent; on kernels before 6.5 it waits for a handshake nobody starts).
 *
 * <p>Arguments: {@code <host> <port> <path> <boundMillis>}. Prints one {@code RESULT transferTo}
 * line; exits 0 when the whole file went out and a 200 came back within the bound.
 */
public final class TransferToClient {
    private TransferToClient() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = ClientSockets.startPeer(args, Duration.ofMinutes(1));
        long bound = Long.parseLong(args[3]);
        Path file = Files.createTempFile("semantics-request", ".http");
        Files.write(file, ClientSockets.request("GET", args[2]));
        boolean deferred = false;
        long transferred = 0;
        String status = "none";
        Throwable thrown = null;
        boolean hung = false;
        long start = System.nanoTime();
        try (FileChannel request = FileChannel.open(file, StandardOpenOption.READ);
                SocketChannel channel = ClientSockets.newChannel();
                Watchdog watchdog = Watchdog.closeAfter(channel, bound)) {
            try {
                channel.connect(target);
                deferred = ClientSockets.deferred(channel);
                long size = request.size();
                while (transferred < size) {
                    transferred += request.transferTo(transferred, size - transferred, channel);
                }
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(256);
                for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
                    response.write(buffer.array(), 0, n);
                }
                String text = response.toString(StandardCharsets.US_ASCII);
                status = text.contains("\r\n") ? text.substring(0, text.indexOf("\r\n")) : text;
            } catch (IOException e) {
                hung = watchdog.fired();
                thrown = e;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        long millis = ClientSockets.millisSince(start);
        boolean pass = status.equals("HTTP/1.1 200 OK") && millis < bound;
        new ResultLine("transferTo").with("pass", pass).with("deferred", deferred).with("transferred", transferred)
                .with("status", status).with("hung", hung).with("ms", millis).thrown(thrown).print();
        System.exit(pass ? 0 : 1);
    }
}
