package io.tfoagent.it;

import io.tfoagent.it.tls.SelfSignedCertificate;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as the TFO server, a peer nobody here wrote ({@code apt-get install nginx-light}):
 * one process ({@code master_process off}) inside a namespace, from a configuration of its own in
 * a directory of its own, with {@code fastopen=256} on HTTP and HTTPS (TLS 1.3 only) listeners
 * that answer every request, GET or POST, with {@code 200 ok}. Its access log has one line per
 * request: {@code METHOD CONNECTION_SERIAL REQUESTS_ON_CONNECTION STATUS TLS_PROTOCOL}, from which
 * a test counts the connections a client really opened.
 */
final class Nginx implements AutoCloseable {
    static final String BINARY = "/usr/sbin/nginx";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    /**
     * Ends nginx when our end of its stdin closes: when the test stops it, or when the test JVM dies
     * (nginx itself would outlive both). The shell gives background jobs /dev/null for stdin, hence fd 3.
     */
    private static final String SUPERVISOR = "exec 3<&0; \"$0\" -p \"$1\" -c \"$1/nginx.conf\""
            + " -e \"$1/error.log\" </dev/null 3<&- & n=$!; (cat <&3 >/dev/null; kill $n 2>/dev/null) & wait $n";

    /** One line of the access log. */
    record Request(String method, long connection, int requestOnConnection, int status, String tls) {
        static Request parse(String line) {
            String[] f = line.split(" ");
            return new Request(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]);
        }

        /** Compact, for failure messages: {@code GET c715#1 200 TLSv1.3}. */
        @Override
        public String toString() {
            return method + " c" + connection + "#" + requestOnConnection + " " + status + ("-".equals(tls) ? "" : " " + tls);
        }
    }

    private final Path dir;
    private final Path certificate;
    private final Process process;
    private final StreamLines stdout;
    private final StreamLines stderr;

    private Nginx(Path dir, Path certificate, Process process) {
        this.dir = dir;
        this.certificate = certificate;
        this.process = process;
        this.stdout = StreamLines.of(process.getInputStream(), "stdout of nginx");
        this.stderr = StreamLines.of(process.getErrorStream(), "stderr of nginx");
    }

    /**
     * Starts nginx in {@code ns} with HTTP on {@code httpPort} and HTTPS on {@code httpsPort} of each
     * of {@code hosts} (IP addresses; a self-signed certificate for them, made in {@code dir}), and
     * returns once it listens.
     */
    static Nginx start(NetNs ns, Path dir, List<String> hosts, int httpPort, int httpsPort) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail("nginx not found at " + BINARY + ": install Debian's nginx-light (apt-get install nginx-light)");
        }
        Path certificate = SelfSignedCertificate.write(dir, hosts);
        StringBuilder http = new StringBuilder();
        StringBuilder https = new StringBuilder();
        for (String host : hosts) {
            String address = host.contains(":") ? "[" + host + "]" : host;
            http.append("listen ").append(address).append(':').append(httpPort).append(" fastopen=256; ");
            https.append("listen ").append(address).append(':').append(httpsPort).append(" ssl fastopen=256; ");
        }
        String conf = """
                daemon off;
                master_process off;
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    log_format tfo '$request_method $connection $connection_requests $status $ssl_protocol';
                    access_log %1$s/access.log tfo;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    default_type text/plain;
                    server {
                        %2$s
                        location / { return 200 "ok\\n"; }
                    }
                    server {
                        %3$s
                        ssl_certificate %1$s/cert.pem;
                        ssl_certificate_key %1$s/key.pem;
                        ssl_protocols TLSv1.3;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(dir, http, https);
        try {
            Files.writeString(dir.resolve("nginx.conf"), conf);
            Files.writeString(dir.resolve("access.log"), "");
            ProcessBuilder builder = ns.exec(List.of("sh", "-c", SUPERVISOR, BINARY, dir.toString()));
            Nginx nginx = new Nginx(dir, certificate, builder.start());
            try {
                nginx.awaitListening();
                return nginx;
            } catch (RuntimeException | Error e) {
                nginx.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx in " + ns, e);
        }
    }

    /** The certificate of the HTTPS listener (PEM), for clients to trust. */
    Path certificate() {
        return certificate;
    }

    /** Every request nginx has logged so far, in order. */
    List<Request> requests() {
        try {
            return Files.readAllLines(dir.resolve("access.log")).stream().filter(line -> !line.isBlank())
                    .map(Request::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nginx's access log", e);
        }
    }

    /**
     * The requests logged after the first {@code skip}, once there are {@code count} of them: nginx
     * logs a request when it has finished with it, which may be just after the client has its answer.
     */
    List<Request> awaitRequestsAfter(int skip, int count) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        List<Request> all = requests();
        while (all.size() < skip + count && Instant.now().isBefore(deadline)) {
            pause();
            all = requests();
        }
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    /** nginx's own error log: what it said about its listeners and the connections it closed. */
    String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the supervisor's cat ends, and it stops nginx (SIGTERM)
        } catch (IOException e) {
            // Already closed: the supervisor is on its way out.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "nginx in " + dir + "\n--- error.log\n" + errorLog() + "\n--- stderr\n" + stderr.text()
                + stdout.text();
    }

    /** nginx writes its pid file once its listeners are open and set up: the moment clients may connect. */
    private void awaitListening() {
        Path pid = dir.resolve("nginx.pid");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!hasContent(pid)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                fail("nginx did not start within " + START_TIMEOUT + (process.isAlive() ? "" : " (it exited "
                        + process.exitValue() + ")") + "\n" + this);
            }
            pause();
        }
    }

    private static boolean hasContent(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
