package io.tfoagent.it.clients;

import io.tfoagent.it.tls.SelfSignedCertificate;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * What every client peer shares: its arguments, one fresh connection per request, one
 * {@code RESPONSE <status>} line per request on stdout, exit 0, and not outliving the test.
 *
 * <p>Arguments: {@code <host> <port> <count> <methods> [<certificate.pem>]}. {@code methods} is one
 * method ({@code GET}, {@code POST}, {@code PUT}) or a comma-separated list taken in turn, request
 * after request ({@code GET,POST} alternates). A certificate makes the peer speak HTTPS (TLS 1.3)
 * and trust only that certificate.
 *
 * <p>Stepped ({@code -D}{@value #STEPPED}{@code =true}, for the fault suite): the test says what to
 * send, one line per step on stdin, {@code <method> <host> <port> [<burst>]}, so that it can change
 * the network between steps while the JVM (and the agent's memory of each destination) lives on.
 * Each step sends {@code burst} (default 1) requests at once, one thread each, to that destination;
 * it prints one line per request, {@code OUTCOME <step> OK <ms> <status>} or
 * {@code OUTCOME <step> FAIL <ms> <connect-like> <exception class>[<-<cause class>...] <message>} (the
 * stack trace on
 * stderr), then {@code STEP <step> END}. A failed request does not end the run; the end of stdin does.
 */
final class ClientPeer {
    /** Every socket wait in the peers is bounded by this; the test's own wait is longer. */
    static final int TIMEOUT_MILLIS = 10_000;
    static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MILLIS);
    /** The body of every request that has one: two bytes that are not replay-safe to send twice. */
    static final String BODY = "hi";
    /** Long enough for any one run; short enough that an orphan does not linger. */
    private static final Duration LIFETIME = Duration.ofSeconds(90);

    /** The system property that makes {@link #run} take its steps from stdin. */
    static final String STEPPED = "tfo.it.stepped";

    /** The destination of the requests; a stepped run changes it before each step. */
    volatile String host;
    volatile int port;
    final int count;
    private final List<String> methods;
    private final Path certificate;

    /** One request: which it is, and what its connection must do. */
    interface Exchange {
        /** Sends {@code method} on a fresh connection, reads the whole response, closes, and returns the status. */
        int send(String method) throws Exception;
    }

    private ClientPeer(String[] args) {
        if (args.length != 4 && args.length != 5) {
            throw new IllegalArgumentException("usage: <main> <host> <port> <count> <GET|POST|PUT[,...]> [<cert.pem>]");
        }
        host = args[0];
        port = Integer.parseInt(args[1]);
        count = Integer.parseInt(args[2]);
        methods = List.of(args[3].split(","));
        certificate = args.length == 5 ? Path.of(args[4]) : null;
    }

    static ClientPeer begin(String[] args) {
        Thread lifetime = new Thread(ClientPeer::exitAfterLifetime, "exit after " + LIFETIME);
        lifetime.setDaemon(true);
        lifetime.start();
        return new ClientPeer(args);
    }

    boolean https() {
        return certificate != null;
    }

    /** {@code http://host:port/} or {@code https://...}, with an IPv6 host in brackets. */
    String url() {
        return (https() ? "https" : "http") + "://" + authority() + "/";
    }

    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Runs the requests one after the other, prints a line for each, and exits 0 (or 1 at the first failure). */
    void run(Exchange exchange) {
        if (Boolean.getBoolean(STEPPED)) {
            runSteps(exchange);
            return;
        }
        int i = 0;
        try {
            for (; i < count; i++) {
                System.out.println("RESPONSE " + exchange.send(methods.get(i % methods.size())));
            }
        } catch (Exception e) {
            System.out.println("FAILED request " + i + ": " + e);
            e.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
        // Some clients keep non-daemon threads (event loops, dispatchers): the run is over, whatever they hold.
        System.exit(0);
    }

    private void runSteps(Exchange exchange) {
        System.out.println("READY");
        System.out.flush();
        BufferedReader steps = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try {
            String line;
            for (int step = 0; (line = steps.readLine()) != null; step++) {
                String[] f = line.trim().split(" ");
                host = f[1];
                port = Integer.parseInt(f[2]);
                int burst = f.length > 3 ? Integer.parseInt(f[3]) : 1;
                if (burst == 1) {
                    System.out.println(outcome(step, exchange, f[0]));
                } else {
                    burst(step, exchange, f[0], burst);
                }
                System.out.println("STEP " + step + " END");
                System.out.flush();
            }
        } catch (IOException e) {
            System.out.println("FAILED reading steps: " + e);
        }
        System.out.flush();
        System.exit(0);
    }

    /** {@code burst} requests released together, each on a thread of its own; every one bounded by the peer's timeouts. */
    private void burst(int step, Exchange exchange, String method, int burst) {
        CountDownLatch start = new CountDownLatch(1);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                lines.add(outcome(step, exchange, method));
            }, "burst-" + i);
            t.start();
            threads.add(t);
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3L * TIMEOUT_MILLIS);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lines) {
            lines.forEach(System.out::println);
        }
        for (int i = lines.size(); i < burst; i++) {
            System.out.println("OUTCOME " + step + " FAIL " + 3L * TIMEOUT_MILLIS + " false HUNG the request never came back");
        }
    }

    private static String outcome(int step, Exchange exchange, String method) {
        long start = System.nanoTime();
        try {
            int status = exchange.send(method);
            return "OUTCOME " + step + " OK " + millisSince(start) + " " + status;
        } catch (Throwable e) {
            long ms = millisSince(start);
            StringBuilder classes = new StringBuilder(e.getClass().getName());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                classes.append("<-").append(c.getClass().getName());
            }
            e.printStackTrace();
            return "OUTCOME " + step + " FAIL " + ms + " " + connectLike(e) + " " + classes + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    /**
     * Whether the failure says "the connection never opened" the way a connect failure does: a
     * {@link java.net.ConnectException} (or {@link java.net.NoRouteToHostException}), a connect
     * timeout, anywhere in its causes.
     */
    private static boolean connectLike(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.NoRouteToHostException
                    || c.getClass().getName().equals("java.net.http.HttpConnectTimeoutException")
                    || (c instanceof java.net.SocketTimeoutException
                            && String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect"))) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * The whole HTTP/1.1 request as raw clients write it, in one piece: head and body together,
     * so that the first write already shows what the request is.
     */
    byte[] rawRequest(String method) {
        boolean body = hasBody(method);
        String head = method + " / HTTP/1.1\r\nHost: " + authority() + "\r\nUser-Agent: tfo-agent-it\r\n"
                + "Connection: close\r\n" + (body ? "Content-Type: text/plain\r\nContent-Length: " + BODY.length()
                + "\r\n" : "") + "\r\n";
        return (head + (body ? BODY : "")).getBytes(StandardCharsets.US_ASCII);
    }

    static boolean hasBody(String method) {
        return method.equals("POST") || method.equals("PUT");
    }

    /** The status of a whole raw response, as read to the server's close. */
    static int status(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        String[] statusLine = (end < 0 ? text : text.substring(0, end)).split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: '" + text + "'");
        }
        return Integer.parseInt(statusLine[1]);
    }

    /** Reads to the end of the stream (the server closes after its response: Connection: close). */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A TLS 1.3 context that trusts the test's own self-signed certificate, and nothing else. */
    SSLContext tls13() throws Exception {
        return SelfSignedCertificate.trustingTls13(certificate);
    }

    private static void exitAfterLifetime() {
        try {
            Thread.sleep(LIFETIME.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("FAILED: still running after " + LIFETIME);
        System.exit(3);
    }
}
