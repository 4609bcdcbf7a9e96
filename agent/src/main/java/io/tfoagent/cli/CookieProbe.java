package io.tfoagent.cli;

import io.tfoagent.shim.LinuxSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code doctor HOST:PORT}: whether this namespace's kernel holds a TFO cookie for the
 * destination (its TCP metrics, as {@code ip tcp_metrics show} prints them), and a probe: one
 * connection that asks for a cookie (TCP_FASTOPEN_CONNECT, no data: the destination sees a
 * connect and a close, nothing else), made only while no cookie is held.
 */
final class CookieProbe {
    static final long TIMEOUT_SECONDS = 5;

    private CookieProbe() {}

    /** {@code host:port} or {@code [v6]:port}; null when it is neither. */
    static InetSocketAddress parse(String target) throws IOException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1 || !target.substring(colon + 1).matches("[0-9]{1,5}")) {
            return null;
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(target.substring(colon + 1));
        return port < 1 || port > 65535 ? null : new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /**
     * Whether the kernel's TCP metrics list a cookie ({@code fo_cookie}) for the address: one line
     * per destination, starting with it. The whole table, since {@code ip tcp_metrics show ADDRESS}
     * fails (ESRCH) where the address has no entry.
     */
    static boolean cookieHeld(InetAddress address) throws IOException {
        Path output = Files.createTempFile("tfo-agent-tcp-metrics", ".txt");
        try {
            // Into a file, waited for first: a read of the pipe would block past the timeout on an ip that hangs.
            Process ip = new ProcessBuilder(List.of("ip", "tcp_metrics", "show")).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean ended = ip.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (!ended || ip.exitValue() != 0) {
                ip.destroyForcibly();
                throw new IOException("ip tcp_metrics show failed: " + out.strip());
            }
            // By address, not text: ip prints IPv6 compressed (2001:2::2), getHostAddress() does not.
            return out.lines().anyMatch(line -> line.contains(" fo_cookie ") && sameAddress(line, address));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Whether the metrics line is about {@code address} (its first word, a literal: no lookup). */
    private static boolean sameAddress(String line, InetAddress address) {
        int space = line.indexOf(' ');
        try {
            return space > 0 && InetAddress.getByName(line.substring(0, space)).equals(address);
        } catch (IOException e) {
            return false;
        }
    }

    /** One connect asking for a cookie, closed once it is answered; within {@value #TIMEOUT_SECONDS} s. */
    static void probe(InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            LinuxSocket.setFastOpenConnect(SelfTest.fd(channel), true);
            if (!channel.connect(target)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)) == 0) {
                    throw new IOException("no answer within " + TIMEOUT_SECONDS + " s");
                }
                channel.finishConnect();
            }
        }
    }
}
