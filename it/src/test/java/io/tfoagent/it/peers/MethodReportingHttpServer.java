package io.tfoagent.it.peers;

import io.tfoagent.shim.TcpInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ServerSocketChannel} server, one connection at a time, that prints for each connection
 * the request method beside what the kernel says about how the connection was opened:
 * {@code ACCEPTED method=POST syn_data=false tfo_child=true}. The oracle for "no request that is
 * not replay-safe ever rode in a SYN": the method comes from the bytes the server received, the
 * rest from its TCP_INFO, neither from the client or the agent. Reads the body the request
 * announces before it answers, so that closing never resets a connection with unread bytes.
 */
public final class MethodReportingHttpServer {
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private MethodReportingHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(address);
            PeerRuntime.listening(((InetSocketAddress) server.getLocalAddress()).getPort());
            while (true) {
                try (SocketChannel connection = server.accept()) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    exchange(connection);
                } catch (IOException e) {
                    // One client's broken connection is its own failure to report, not the server's end.
                    System.out.println("BROKEN " + e);
                }
            }
        }
    }

    private static void exchange(SocketChannel connection) throws IOException, ReflectiveOperationException {
        InputStream in = Channels.newInputStream(connection);
        OutputStream out = Channels.newOutputStream(connection);
        String head = HttpHeads.read(in);
        if (head == null) {
            System.out.println("ACCEPTED method=none " + describe(AcceptedConnections.tcpInfo(connection)));
            return;
        }
        String method = head.substring(0, Math.max(0, head.indexOf(' ')));
        System.out.println("ACCEPTED method=" + method + " " + describe(AcceptedConnections.tcpInfo(connection)));
        in.readNBytes(HttpHeads.contentLength(head));
        out.write(RESPONSE);
        out.flush();
    }

    private static String describe(TcpInfo info) {
        return "syn_data=" + info.synData() + " tfo_child=" + info.fastOpenChild();
    }
}
