package io.tfoagent.it.latency;

import io.tfoagent.it.tls.SelfSignedCertificate;

import io.tfoagent.it.rtt.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as the benchmark's server (the same peer as the integration tests' {@code Nginx},
 * without their JUnit harness): one process ({@code master_process off}) in a namespace, HTTP and
 * HTTPS (TLS 1.3 only) listeners with {@code fastopen=256}, answering every request, GET or POST,
 * with {@code 200 ok} and closing at once ({@code keepalive_timeout 0}: every request of every
 * client is on a fresh connection, whatever its pool would do). No access log: nothing on the
 * request path but the request.
 */
final class LatencyNginx implements AutoCloseable {
    static final String BINARY = "/usr/sbin/nginx";
    private static final long START_TIMEOUT_MILLIS = 15_000;
    /** Ends nginx when our end of its stdin closes, or when the benchmark JVM dies (see {@code it.Nginx}). */
    private static final String SUPERVISOR = "exec 3<&0; \"$0\" -p \"$1\" -c \"$1/nginx.conf\""
            + " -e \"$1/error.log\" </dev/null 3<&- & n=$!; (cat <&3 >/dev/null; kill $n 2>/dev/null) & wait $n";

    private final Path dir;
    private final Process process;

    private LatencyNginx(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** A self-signed EC certificate for {@code hosts} (IP SANs) in {@code dir}: cert.pem and key.pem. */
    static Path certificate(Path dir, List<String> hosts) {
        return SelfSignedCertificate.write(dir, hosts);
    }

    /**
     * Starts nginx in {@code ns} on {@code host} (HTTP {@code httpPort}, HTTPS {@code httpsPort}) with
     * the certificate and key {@link #certificate} wrote into {@code certDir}; its own files in
     * {@code dir}. Returns once it listens.
     */
    static LatencyNginx start(NetNamespace ns, Path dir, Path certDir, String host, int httpPort, int httpsPort) {
        String address = host.contains(":") ? "[" + host + "]" : host;
        String conf = """
                daemon off;
                master_process off;
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    keepalive_timeout 0;
                    tcp_nodelay on;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    default_type text/plain;
                    server {
                        listen %2$s:%3$d fastopen=256 backlog=1024;
                        location / { return 200 "ok\\n"; }
                    }
                    server {
                        listen %2$s:%4$d ssl fastopen=256 backlog=1024;
                        ssl_certificate %5$s/cert.pem;
                        ssl_certificate_key %5$s/key.pem;
                        ssl_protocols TLSv1.3;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(dir, address, httpPort, httpsPort, certDir);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("nginx.pid"));
            Files.writeString(dir.resolve("nginx.conf"), conf);
            Process process = ns.exec(List.of("sh", "-c", SUPERVISOR, BINARY, dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            LatencyNginx nginx = new LatencyNginx(dir, process);
            try {
                nginx.awaitListening();
                return nginx;
            } catch (RuntimeException e) {
                nginx.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx in " + ns, e);
        }
    }

    /** nginx writes its pid file once its listeners are open. */
    private void awaitListening() {
        Path pid = dir.resolve("nginx.pid");
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        while (!hasContent(pid)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start in " + dir + ":\n" + errorLog());
            }
            sleep(10);
        }
    }

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
            process.getOutputStream().close(); // the supervisor's cat ends, and it stops nginx
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasContent(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
