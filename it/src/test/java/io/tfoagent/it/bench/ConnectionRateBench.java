package io.tfoagent.it.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Fresh connections per second, one at a time: connect, write a tiny GET, read the reply to
 * end of stream, close; the open-use-close client that TFO is for. Not JMH: each variant is its own
 * long-lived JVM (without the agent, with it and the destination not allowed, with it and allowed),
 * and {@link OverheadBench} has them take turns in short measurement windows against one
 * {@link #serve server} JVM that has the agent's server side, so that the machine's drift hits
 * every variant alike. Modes:
 * <pre>
 *   server           listen on 127.0.0.1, print "port N", answer until killed
 *   client HOST PORT print "ready", then for each line "run SECONDS" on stdin, run a window and print
 *                    "connections N seconds S errors E connect_us X write_us X read_us X close_us X"
 *                    (the phases: mean time per successful exchange)
 * </pre>
 */
public final class ConnectionRateBench {
    static final byte[] REQUEST = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII);
    static final byte[] REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(US_ASCII);
    private static final int BACKLOG = 1024;
    private static final String[] PHASE_NAMES = {"connect", "write", "read", "close"};

    private ConnectionRateBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("server")) {
            serve();
        } else if (args.length == 3 && args[0].equals("client")) {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, US_ASCII));
            System.out.println("ready");
            System.out.flush();
            String command;
            while ((command = commands.readLine()) != null) {
                if (command.startsWith("run ")) {
                    System.out.println(window(server, Double.parseDouble(command.substring(4))));
                    System.out.flush();
                }
            }
        } else {
            System.err.println("usage: ConnectionRateBench server | client HOST PORT");
            System.exit(2);
        }
    }

    /**
     * One thread accepts and answers in turn: the client is sequential, so a pool would only add
     * hand-offs. The server closes first, so TIME_WAIT stays on its side, not on the client's ports.
     */
    static void serve() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, BACKLOG, InetAddress.getByName("127.0.0.1"))) {
            System.out.println("port " + listener.getLocalPort());
            System.out.flush();
            byte[] head = new byte[4096];
            while (true) {
                try (Socket s = listener.accept()) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    int n = 0;
                    while (!endsHead(head, n)) {
                        int r = in.read(head, n, head.length - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    s.getOutputStream().write(REPLY);
                } catch (IOException e) {
                    System.err.println("server: " + e);
                }
            }
        }
    }

    private static boolean endsHead(byte[] b, int n) {
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n'
                || n == b.length;
    }

    /** Exchanges one after the other for {@code seconds}; the result line. */
    static String window(InetSocketAddress server, double seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long connections = 0;
        long errors = 0;
        long[] phases = new long[PHASE_NAMES.length];
        byte[] reply = new byte[256];
        while (System.nanoTime() < end) {
            if (exchange(server, reply, phases)) {
                connections++;
            } else {
                errors++;
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        StringBuilder line = new StringBuilder("connections " + connections + " seconds " + elapsed + " errors " + errors);
        for (int i = 0; i < phases.length; i++) {
            line.append(' ').append(PHASE_NAMES[i]).append("_us ").append(String.format(Locale.ROOT, "%.2f",
                    phases[i] / 1e3 / Math.max(1, connections)));
        }
        return line.toString();
    }

    /** One exchange; adds the time of each phase to {@code phases}. */
    private static boolean exchange(InetSocketAddress server, byte[] reply, long[] phases) {
        long t0 = System.nanoTime();
        long t1 = t0;
        long t2 = t0;
        long t3 = t0;
        boolean ok = false;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, 5_000);
            s.setSoTimeout(5_000);
            t1 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write(REQUEST);
            t2 = System.nanoTime();
            InputStream in = s.getInputStream();
            int n = 0;
            int r;
            while ((r = in.read(reply, n, reply.length - n)) > 0) {
                n += r;
            }
            t3 = System.nanoTime();
            ok = n == REPLY.length && reply[9] == '2' && reply[10] == '0' && reply[11] == '0';
        } catch (IOException e) {
            System.err.println("client: " + e);
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                System.err.println("client: close: " + e);
                ok = false;
            }
        }
        long t4 = System.nanoTime();
        if (ok) {
            phases[0] += t1 - t0;
            phases[1] += t2 - t1;
            phases[2] += t3 - t2;
            phases[3] += t4 - t3;
        }
        return ok;
    }
}
