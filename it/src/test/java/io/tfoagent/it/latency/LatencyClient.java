package io.tfoagent.it.latency;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.it.tls.SelfSignedCertificate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The latency benchmark's client peer: one JVM per (JDK, client API, with or without the agent)
 * that stays up for the whole benchmark, as a long-running application would, and times requests
 * on fresh connections when told to. Commands, one per line on stdin:
 *
 * <pre>
 * WARMUP &lt;url&gt; &lt;method&gt; &lt;millis&gt; &lt;max&gt;   JIT warm-up: requests for millis (counted from the second one,
 *                                       so that class loading does not eat the budget) or max requests;
 *                                       prints "WARMED &lt;n&gt; &lt;ms&gt;"
 * RUN &lt;url&gt; &lt;method&gt; &lt;untimed&gt; &lt;count&gt;   untimed requests (the first ever to a server fetches its TFO
 *                                       cookie), then count timed ones, each printed as
 *                                       "ELAPSED &lt;nanos&gt; &lt;status&gt;"; then "TCPEXT name=delta ..." (this
 *                                       namespace's kernel counters over the timed requests) and "END"
 * EXIT                                  exits (the agent prints its counters at exit)
 * </pre>
 * A request is timed from just before the client API is asked for it (for java.net.Socket and
 * Netty: the connect) to the moment the response's last byte is in hand. A failed command prints
 * "FAILED ..." and exits 1. Started as {@code LatencyClient --kind SOCKET|URL_CONNECTION|JDK_HTTP_CLIENT|NETTY
 * [--cert PEM]} (the certificate HTTPS URLs must present; it trusts nothing else).
 */
public final class LatencyClient {
    static final String ELAPSED = "ELAPSED ";
    static final String TCPEXT = "TCPEXT ";
    static final List<String> COUNTERS = List.of("TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenCookieReqd");

    private LatencyClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String kind = options.get("kind");
        Path certificate = options.containsKey("cert") ? Path.of(options.get("cert")) : null;
        SSLContext tls = certificate == null ? null : tls13Trusting(certificate);
        int exit = 0;
        try (Fetcher fetcher = switch (kind == null ? "" : kind) {
            case "SOCKET" -> new SocketFetcher(tls);
            case "URL_CONNECTION" -> new UrlConnectionFetcher(tls);
            case "JDK_HTTP_CLIENT" -> new HttpClientFetcher(tls);
            case "NETTY" -> new NettyFetcher(certificate);
            default -> throw new IllegalArgumentException("--kind SOCKET|URL_CONNECTION|JDK_HTTP_CLIENT|NETTY, not " + kind);
        }) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            System.out.flush();
            for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
                String[] c = line.split(" ");
                switch (c[0]) {
                    case "WARMUP" -> warmUp(fetcher, new URI(c[1]), c[2], Long.parseLong(c[3]), Integer.parseInt(c[4]));
                    case "RUN" -> run(fetcher, new URI(c[1]), c[2], Integer.parseInt(c[3]), Integer.parseInt(c[4]));
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                }
                System.out.flush();
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.out.flush();
        System.exit(exit); // some clients keep non-daemon threads; the agent prints its counters at exit
    }

    private static void warmUp(Fetcher fetcher, URI uri, String method, long millis, int max) throws Exception {
        long start = System.nanoTime();
        check(fetcher.fetch(uri, method), "warm-up 0");
        long until = System.nanoTime() + millis * 1_000_000;
        int done = 1;
        for (; done < max && System.nanoTime() < until; done++) {
            check(fetcher.fetch(uri, method), "warm-up " + done);
        }
        System.out.printf("WARMED %d %.0f%n", done, (System.nanoTime() - start) / 1e6);
    }

    private static void run(Fetcher fetcher, URI uri, String method, int untimed, int count) throws Exception {
        for (int i = 0; i < untimed; i++) {
            check(fetcher.fetch(uri, method), "untimed request " + i);
        }
        Map<String, Long> before = tcpExt();
        long[] elapsed = new long[count];
        int[] status = new int[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Fetcher.Result result = fetcher.fetch(uri, method);
            elapsed[i] = result.doneNanos() - start;
            status[i] = result.status();
        }
        Map<String, Long> after = tcpExt();
        for (int i = 0; i < count; i++) { // printed afterwards: no pipe write between requests
            System.out.println(ELAPSED + elapsed[i] + " " + status[i]);
        }
        StringBuilder line = new StringBuilder(TCPEXT.trim());
        for (String counter : COUNTERS) {
            line.append(' ').append(counter).append('=').append(after.get(counter) - before.get(counter));
        }
        System.out.println(line);
        System.out.println("END");
    }

    private static void check(Fetcher.Result result, String what) {
        if (result.status() != 200) {
            throw new IllegalStateException(what + ": status " + result.status());
        }
    }

    /** TcpExt counters of this process's network namespace. */
    static Map<String, Long> tcpExt() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/net/netstat"));
        Map<String, Long> values = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split("\\s+");
            String[] numbers = lines.get(i + 1).split("\\s+");
            if (names[0].equals("TcpExt:")) {
                for (int j = 1; j < names.length && j < numbers.length; j++) {
                    values.put(names[j], Long.parseLong(numbers[j]));
                }
            }
        }
        for (String counter : COUNTERS) {
            values.putIfAbsent(counter, 0L);
        }
        return values;
    }

    /** A TLS 1.3 context that trusts the benchmark's own self-signed certificate, and nothing else. */
    static SSLContext tls13Trusting(Path certificate) throws Exception {
        return SelfSignedCertificate.trustingTls13(certificate);
    }
}
