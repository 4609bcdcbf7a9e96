package io.tfoagent.it;

import io.tfoagent.it.clients.JedisClient;
import io.tfoagent.it.clients.PgJdbcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's database servers as peers nobody here wrote ({@code apt-get install postgresql
 * redis-server}), each started by the test inside the server namespace on an address, port and
 * data directory of the test's own, so that a system instance Debian started on install (port 5432
 * or 6379, in the root namespace) is never in the way. Neither has a TFO setting of its own: the
 * server namespace's {@code net.ipv4.tcp_fastopen} gives their listeners TFO ({@link #SYSCTL}).
 */
enum DatabaseServer {
    /** {@code postgres} as user postgres, from a cluster {@code initdb} made in the test's directory. */
    POSTGRES(PgJdbcClient.class, 18654, "database system is ready to accept connections") {
        @Override
        String missing() {
            return postgresBin().isPresent() ? null
                    : "PostgreSQL's server not found under /usr/lib/postgresql/*/bin: apt-get install postgresql";
        }

        /**
         * A cluster in {@code dir}/data owned by postgres, reached only over TCP (its Unix socket in
         * {@code dir}), with trust authentication for {@code clientAddress} alone.
         */
        @Override
        void prepare(Path dir, String clientAddress) {
            // postgres must reach dir (under the test's root-only temporary directory) and own it.
            run(List.of("chmod", "o+x", dir.getParent().toString()));
            run(List.of("chown", "postgres:", dir.toString()));
            run(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                    bin("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "reject", "-U",
                    PgJdbcClient.USER, "--no-sync"));
            try {
                Files.writeString(dir.resolve("data/pg_hba.conf"), "host all all " + clientAddress + "/32 trust\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write pg_hba.conf in " + dir, e);
            }
        }

        @Override
        List<String> command(Path dir, String host) {
            // setpriv, not runuser: it execs postgres, so the supervisor's SIGTERM reaches the postmaster.
            return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                    bin("postgres").toString(), "-D", dir.resolve("data").toString(), "-k", dir.toString(),
                    "-p", String.valueOf(port), "-c", "listen_addresses=" + host, "-c", "fsync=off");
        }
    },
    REDIS(JedisClient.class, 18679, "Ready to accept connections") {
        @Override
        String missing() {
            return Files.isExecutable(Path.of(REDIS_SERVER)) ? null
                    : "redis-server not found at " + REDIS_SERVER + ": apt-get install redis-server";
        }

        @Override
        void prepare(Path dir, String clientAddress) {
            // Nothing to make: no persistence, and nothing but the test's namespace can reach the address.
        }

        @Override
        List<String> command(Path dir, String host) {
            return List.of(REDIS_SERVER, "--port", String.valueOf(port), "--bind", host, "--dir", dir.toString(),
                    "--save", "", "--appendonly", "no", "--daemonize", "no",
                    // Its default refuses clients from other hosts without a password: ours come from the client namespace.
                    "--protected-mode", "no");
        }
    };

    /** TFO on, client and server, and on every listener without the socket option (0x400): theirs included. */
    static final int SYSCTL = 0x403;
    private static final String REDIS_SERVER = "/usr/bin/redis-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    final Class<?> client;
    final int port;
    private final String ready;

    DatabaseServer(Class<?> client, int port, String ready) {
        this.client = client;
        this.port = port;
        this.ready = ready;
    }

    /** Why this server cannot run here (the package to install), or null when it can. */
    abstract String missing();

    /** What the server needs in {@code dir} before its first start, for clients from {@code clientAddress}. */
    abstract void prepare(Path dir, String clientAddress);

    abstract List<String> command(Path dir, String host);

    /** Starts the server, prepared in {@code dir}, in {@code ns} on {@code host}; returns once it accepts connections. */
    ServerProcess start(NetNs ns, Path dir, String host) {
        return ServerProcess.start(ns, command(dir, host), ready, START_TIMEOUT);
    }

    /** The newest installed PostgreSQL's {@code bin} directory. */
    private static Optional<Path> postgresBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path bin(String program) {
        return postgresBin().orElseThrow().resolve(program);
    }

    private static void run(List<String> command) {
        Command.run(new ProcessBuilder(command), START_TIMEOUT).requireSuccess();
    }
}
