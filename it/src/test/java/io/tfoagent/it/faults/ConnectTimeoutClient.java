package io.tfoagent.it.faults;

import io.tfoagent.it.peers.AgentWarmUp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One request, through one API with a connect timeout, to a destination that never answers
 * (DESIGN.md §4 hazard 15): prints {@code RESULT <ms> <timeout ms> <exception class> <message>}
 * (or {@code RESULT <ms> <timeout ms> OK <status>}), then exits 0. A call that is still running
 * {@value #HANG_SLACK_MILLIS} ms past its timeout is reported as {@code HUNG} and the JVM exits 2.
 *
 * <p>Arguments: {@code <api> <dead host> <live host> <port>}. The same call goes to the live host
 * first (printed as {@code WARM ...}), so that loading and initialising the API's classes is not
 * counted against the timeout; only the call to the dead host is timed. api one of
 * <ul>
 * <li>{@code url}: HttpURLConnection, {@code setConnectTimeout(2000)};
 * <li>{@code socket}: {@code Socket.connect(addr, 1000)}, then a first write larger than fits in one
 * SYN (a 4 KiB GET: its cookies), then a read;
 * <li>{@code httpclient}: the JDK's HttpClient, {@code connectTimeout(1500 ms)} and a request timeout of 4 s.
 * </ul>
 * Each makes the call to the dead host twice ({@code RESULT}, then {@code AGAIN}).
 */
public final class ConnectTimeoutClient {
    static final long HANG_SLACK_MILLIS = 5000;
    /** The JDK HttpClient's request timeout, longer than its connect timeout: the connect timeout must win. */
    private static final long REQUEST_TIMEOUT_MILLIS = 4000;

    private ConnectTimeoutClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        String api = args[0];
        String host = args[1];
        String live = args[2];
        int port = Integer.parseInt(args[3]);
        int timeout = switch (api) {
            case "url" -> 2000;
            case "socket" -> 1000;
            case "httpclient" -> 1500;
            default -> throw new IllegalArgumentException(api);
        };
        System.out.println("WARM " + call(api, live, port, timeout));
        long start = System.nanoTime();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(REQUEST_TIMEOUT_MILLIS + 2L * timeout + HANG_SLACK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("RESULT " + millisSince(start) + " " + timeout + " HUNG still in the call");
            System.out.flush();
            Runtime.getRuntime().halt(2);
        }, "hang watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String result = call(api, host, port, timeout);
        System.out.println("RESULT " + millisSince(start) + " " + timeout + " " + result);
        // The same call again: with the agent, a destination whose deferred connect failed is
        // connected to for real, so this one must meet the application's own timeout as without it.
        long again = System.nanoTime();
        String second = call(api, host, port, timeout);
        System.out.println("AGAIN " + millisSince(again) + " " + timeout + " " + second);
        System.out.flush();
        System.exit(0);
    }

    private static String call(String api, String host, int port, int timeout) {
        try {
            return "OK " + switch (api) {
                case "url" -> url(host, port, timeout);
                case "socket" -> socket(host, port, timeout);
                default -> httpClient(host, port, timeout);
            };
        } catch (Exception e) {
            e.printStackTrace();
            return e.getClass().getName() + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    private static int url(String host, int port, int timeout) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URI("http://" + host + ":" + port + "/").toURL().openConnection();
        c.setConnectTimeout(timeout);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            return status;
        } finally {
            c.disconnect();
        }
    }

    private static int socket(String host, int port, int timeout) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeout);
            socket.setSoTimeout(10_000);
            // 4 KiB of cookies: more than one SYN (or segment) holds, so the write cannot return at once.
            String request = "GET / HTTP/1.1\r\nHost: " + host + "\r\nCookie: session=" + "x".repeat(4096)
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return Integer.parseInt(new String(head, StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    private static int httpClient(String host, int port, int timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(timeout)).build();
        HttpRequest request = HttpRequest.newBuilder(new URI("http://" + host + ":" + port + "/")).GET()
                .timeout(Duration.ofMillis(REQUEST_TIMEOUT_MILLIS)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
