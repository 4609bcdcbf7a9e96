import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's client application: fresh GETs with java.net.Socket, one connection per request, as
 * any open-use-close client does. Knows nothing about TFO. Times each request from connect to the
 * last byte of the response, and reads its own network namespace's kernel counter of SYNs whose
 * data the server acknowledged (TcpExt TCPFastOpenActive) around the timed requests.
 *
 * <p>Usage: java DemoClient.java HOST PORT REQUESTS. Prints one line:
 * {@code RESULT requests=N ok=N median_ms=X p99_ms=X connect_median_ms=X syn_data_acked=N}.
 */
public class DemoClient {
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int requests = Integer.parseInt(args[2]);
        byte[] get = ("GET / HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            fetch(server, get, new long[1]); // untimed: the first fetches the server's TFO cookie
        }
        long ackedBefore = synDataAcked();
        long[] total = new long[requests];
        long[] connect = new long[requests];
        int ok = 0;
        for (int i = 0; i < requests; i++) {
            long[] connected = new long[1];
            long start = System.nanoTime();
            int status = fetch(server, get, connected);
            total[i] = System.nanoTime() - start;
            connect[i] = connected[0] - start;
            ok += status == 200 ? 1 : 0;
        }
        long acked = synDataAcked() - ackedBefore;
        System.out.printf(java.util.Locale.ROOT,
                "RESULT requests=%d ok=%d median_ms=%.1f p99_ms=%.1f connect_median_ms=%.1f syn_data_acked=%d%n",
                requests, ok, median(total) / 1e6, p99(total) / 1e6, median(connect) / 1e6, acked);
    }

    /** One GET on a fresh connection; the response ends at Content-Length, not at the server's FIN. */
    private static int fetch(InetSocketAddress server, byte[] request, long[] connectedAt) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(server, 10_000);
            connectedAt[0] = System.nanoTime();
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed inside the response head");
                }
                head.append((char) b);
            }
            long length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            for (long i = 0; i < length; i++) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed inside the response body");
                }
            }
            return Integer.parseInt(head.toString().split(" ")[1]);
        }
    }

    /** TcpExt TCPFastOpenActive of this process's network namespace: SYNs whose data the server acked. */
    private static long synDataAcked() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            List<String> names = List.of(lines.get(i).split(" "));
            if (names.get(0).equals("TcpExt:")) {
                return Long.parseLong(lines.get(i + 1).split(" ")[names.indexOf("TCPFastOpenActive")]);
            }
        }
        return -1;
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2.0;
    }

    private static double p99(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(0.99 * s.length) - 1)];
    }
}
