package io.tfoagent.it;

import io.tfoagent.it.nginx.NginxProcess;
import io.tfoagent.it.tls.SelfSignedCertificate;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Debian's nginx as the TFO server, a peer nobody here wrote ({@code apt-get install nginx-light}):
 * one process ({@code master_process off}) inside a namespace, from a configuration of its own in
 * a directory of its own, with {@code fastopen=256} on HTTP and HTTPS (TLS 1.3 only) listeners
 * that answer every request, GET or POST, with {@code 200 ok}; the HTTPS ones may offer h2 by ALPN
 * beside HTTP/1.1. Its access log has one line per request: {@code METHOD CONNECTION_SERIAL
 * REQUESTS_ON_CONNECTION STATUS TLS_PROTOCOL HTTP_PROTOCOL}, from which a test counts the
 * connections a client really opened.
 */
final class Nginx implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    /** One line of the access log. */
    record Request(String method, long connection, int requestOnConnection, int status, String tls, String protocol) {
        static Request parse(String line) {
            String[] f = line.split(" ");
            return new Request(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5]);
        }

        /** Compact, for failure messages: {@code GET c715#1 200 TLSv1.3}. */
        @Override
        public String toString() {
            return method + " c" + connection + "#" + requestOnConnection + " " + status + ("-".equals(tls) ? "" : " " + tls);
        }
    }

    private final Path dir;
    private final Path certificate;
    private final NginxProcess process;
    private final StreamLines stdout;
    private final StreamLines stderr;

    private Nginx(Path dir, Path certificate, NginxProcess process) {
        this.dir = dir;
        this.certificate = certificate;
        this.process = process;
        this.stdout = StreamLines.of(process.process().getInputStream(), "stdout of nginx");
        this.stderr = StreamLines.of(process.process().getErrorStream(), "stderr of nginx");
    }

    /**
     * Starts nginx in {@code ns} with HTTP on {@code httpPort} and HTTPS on {@code httpsPort} of each
     * of {@code hosts} (IP addresses; a self-signed certificate for them, made in {@code dir}), and
     * returns once it listens.
     */
    static Nginx start(NetNs ns, Path dir, List<String> hosts, int httpPort, int httpsPort) {
        return start(ns, dir, hosts, httpPort, httpsPort, 256);
    }

    /** As above with {@code fastopen=qlen} on every listener, or no TFO at all when {@code qlen} is 0. */
    static Nginx start(NetNs ns, Path dir, List<String> hosts, int httpPort, int httpsPort, int qlen) {
        return start(ns, dir, hosts, httpPort, httpsPort, qlen, false);
    }

    /** As above, the HTTPS listeners offering h2 by ALPN beside HTTP/1.1 when {@code h2}. */
    static Nginx start(NetNs ns, Path dir, List<String> hosts, int httpPort, int httpsPort, int qlen, boolean h2) {
        if (!Files.isExecutable(Path.of(NginxProcess.BINARY))) {
            fail("nginx not found at " + NginxProcess.BINARY + ": install Debian's nginx-light (apt-get install nginx-light)");
        }
        Path certificate = SelfSignedCertificate.write(dir, hosts);
        String fastopen = qlen > 0 ? " fastopen=" + qlen : "";
        StringBuilder http = new StringBuilder();
        StringBuilder https = new StringBuilder();
        for (String host : hosts) {
            String address = host.contains(":") ? "[" + host + "]" : host;
            http.append("listen ").append(address).append(':').append(httpPort).append(fastopen).append("; ");
            https.append("listen ").append(address).append(':').append(httpsPort).append(h2 ? " ssl http2" : " ssl").append(fastopen).append("; ");
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
                    log_format tfo '$request_method $connection $connection_requests $status $ssl_protocol $server_protocol';
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
            return new Nginx(dir, certificate, NginxProcess.start(ns.exec(NginxProcess.command(dir)), dir,
                    START_TIMEOUT));
        } catch (IllegalStateException e) {
            return fail(e.getMessage());
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
            NginxProcess.pause();
            all = requests();
        }
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "nginx in " + dir + "\n--- error.log\n" + process.errorLog() + "\n--- stderr\n" + stderr.text()
                + stdout.text();
    }
}
