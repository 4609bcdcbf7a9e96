package io.tfoagent.cli;

import io.tfoagent.shim.LinuxSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sun.nio.ch.IOUtil;
import sun.nio.ch.SelChImpl;

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
        Process ip = new ProcessBuilder(List.of("ip", "tcp_metrics", "show"))
                .redirectErrorStream(true).start();
        String out = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!ip.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                ip.destroyForcibly();
                throw new IOException("ip tcp_metrics show failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String prefix = address.getHostAddress() + " ";
        return out.lines().anyMatch(line -> line.startsWith(prefix) && line.contains(" fo_cookie "));
    }

    /** One connect asking for a cookie, closed once it is answered; within {@value #TIMEOUT_SECONDS} s. */
    static void probe(InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            LinuxSocket.setFastOpenConnect(IOUtil.fdVal(((SelChImpl) channel).getFD()), true);
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
