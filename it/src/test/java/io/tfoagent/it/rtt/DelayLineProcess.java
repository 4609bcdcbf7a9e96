package io.tfoagent.it.rtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link DelayLine} in a JVM of its own ({@link DelayLineMain} {@code run}), for long benchmarks:
 * the test JVM's garbage collections and safepoints then cannot hold packets back (the line's
 * JVM has serial GC, a small heap and a forwarding path that allocates nothing). Same addresses
 * as the in-process line. The child watches this JVM and exits if it dies.
 */
public final class DelayLineProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path status;
    private final DelayLine.Endpoint a;
    private final DelayLine.Endpoint b;
    private final Duration rtt;
    private final StringBuffer output = new StringBuffer();

    private DelayLineProcess(Process process, Path status, DelayLine.Config config) {
        this.process = process;
        this.status = status;
        int s = config.subnet();
        this.a = new DelayLine.Endpoint(config.namespaceA(), "rtt" + s, "198.18." + s + ".1", "2001:2:0:" + s + "::1",
                "198.18." + s + ".2", "2001:2:0:" + s + "::2");
        this.b = new DelayLine.Endpoint(config.namespaceB(), "rtt" + s, a.peerIpv4(), a.peerIpv6(), a.ipv4(), a.ipv6());
        this.rtt = config.delayAToB().plus(config.delayBToA());
    }

    public static DelayLineProcess start(String namespaceA, String namespaceB, Duration rtt) {
        return start(DelayLine.Config.of(namespaceA, namespaceB, rtt));
    }

    /**
     * Starts the child with {@code java} of this JVM and the class path in system property
     * {@code it.classpath} (set by the it module's surefire configuration), else this JVM's.
     */
    public static DelayLineProcess start(DelayLine.Config config) {
        String classpath = System.getProperty("it.classpath", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path status;
        try {
            status = Files.createTempFile("tfortt-", ".status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms32m", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, DelayLineMain.class.getName(), "run",
                "--a", config.namespaceA(), "--b", config.namespaceB(),
                "--rtt-ms", millis(config.delayAToB().plus(config.delayBToA())),
                "--a-to-b-ms", millis(config.delayAToB()), "--b-to-a-ms", millis(config.delayBToA()),
                "--subnet", "" + config.subnet(), "--status", status.toString(),
                "--parent", "" + ProcessHandle.current().pid()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        DelayLineProcess line = new DelayLineProcess(process, status, config);
        line.awaitReady();
        return line;
    }

    private void awaitReady() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.append(line).append('\n');
                    if (line.startsWith("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the child is gone; awaitReady reports what it printed
            }
            ready.completeExceptionally(new IllegalStateException("delay line process ended"));
        }, "delayline-process-output");
        drain.setDaemon(true);
        drain.start();
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("delay line process not ready: " + e.getMessage() + "\n" + output, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public DelayLine.Endpoint a() {
        return a;
    }

    public DelayLine.Endpoint b() {
        return b;
    }

    public Duration rtt() {
        return rtt;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's counters, rewritten every second (see {@link DelayLine.Stats}). */
    public String status() {
        try {
            return Files.readString(status);
        } catch (IOException e) {
            return "no status: " + e;
        }
    }

    /** What the child printed so far. */
    public String output() {
        return output.toString();
    }

    /** SIGTERM: the child closes its line (devices vanish) and exits; SIGKILL after {@link #STOP_TIMEOUT}. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly(); // its TUN devices go with its fds
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(status);
                Files.deleteIfExists(status.resolveSibling(status.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.6f", d.toNanos() / 1e6);
    }
}
