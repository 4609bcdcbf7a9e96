package io.tfoagent.it.latency;

import io.tfoagent.it.nginx.NginxProcess;
import io.tfoagent.it.tls.SelfSignedCertificate;

import io.tfoagent.it.rtt.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's nginx as the benchmark's server (the same peer as the integration tests' {@code Nginx},
 * without their JUnit harness): one process ({@code master_process off}) in a namespace, HTTP and
 * HTTPS (TLS 1.3 only) listeners with {@code fastopen=256}, answering every request, GET or POST,
 * with {@code 200 ok} and closing at once ({@code keepalive_timeout 0}: every request of every
 * client is on a fresh connection, whatever its pool would do). No access log: nothing on the
 * request path but the request.
 */
final class LatencyNginx implements AutoCloseable {
    static final String BINARY = NginxProcess.BINARY;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final NginxProcess process;

    private LatencyNginx(NginxProcess process) {
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
            return new LatencyNginx(NginxProcess.start(ns.exec(NginxProcess.command(dir)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()), dir, START_TIMEOUT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx in " + ns, e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
