package io.tfoagent.it.rtt;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named network namespace ({@code ip netns}), and a way to run Java code inside it without a
 * child process: {@link #call} runs on a fresh thread that {@code setns(2)}-es itself into the
 * namespace, so the sockets (and TUN devices) it creates live there and keep working from any
 * thread afterwards. Only the namespaces this class creates ({@code tfortt-*}) are deleted by
 * {@link #close}; {@link #existing} wraps someone else's.
 */
public final class NetNamespace implements AutoCloseable {
    public static final String PREFIX = "tfortt-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static boolean staleRemoved;

    private final String name;
    private final boolean owned;

    private NetNamespace(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
    }

    /**
     * A new namespace {@code tfortt-<pid>-<role><n>}, with {@code lo} up and
     * {@code net.ipv4.tcp_fastopen=3}. Namespaces left by dead JVMs are removed first, once.
     */
    public static NetNamespace createUnique(String role) {
        removeStaleOnce();
        return create(PREFIX + ProcessHandle.current().pid() + "-" + role + COUNTER.incrementAndGet());
    }

    /** A new namespace of this exact name (which must start with {@value #PREFIX}); fails if it exists. */
    public static NetNamespace create(String name) {
        if (!name.startsWith(PREFIX) || name.length() > 64 || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("namespace name must be " + PREFIX + "[A-Za-z0-9_.-]+: " + name);
        }
        rootIp("netns", "add", name);
        NetNamespace ns = new NetNamespace(name, true);
        try {
            ns.ip("link", "set", "lo", "up");
            ns.sysctl("net.ipv4.tcp_fastopen", "3");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** A namespace made by someone else (e.g. the harness's {@code NetNs}); {@link #close} leaves it. */
    public static NetNamespace existing(String name) {
        if (!Files.exists(path(name))) {
            throw new IllegalArgumentException("no network namespace " + name + " (" + path(name) + ")");
        }
        return new NetNamespace(name, false);
    }

    public String name() {
        return name;
    }

    /** {@code ip -n <name> args...}; returns its stdout, throws if it fails. */
    public String ip(String... args) {
        List<String> full = new ArrayList<>(List.of("-n", name));
        full.addAll(List.of(args));
        return rootIp(full.toArray(String[]::new));
    }

    public void sysctl(String key, String value) {
        run(List.of("ip", "netns", "exec", name, "sysctl", "-qw", key + "=" + value));
    }

    /** A process builder for {@code command} run inside this namespace. */
    public ProcessBuilder exec(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /**
     * Runs {@code task} on a new thread inside this namespace and returns its result. Sockets
     * made there belong to the namespace for good; so do files under {@code /proc/thread-self/net}
     * read there ({@code /proc/self/net} would show the JVM main thread's namespace). Threads
     * started from the task inherit the namespace, and so do helper threads a library creates
     * lazily there (a ForkJoinPool's, an HTTP client's): keep to sockets and short work here.
     */
    public <T> T call(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(() -> {
            enterOnThisThread();
            return task.call();
        });
        Thread thread = new Thread(future, "netns-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("in " + name + ": " + cause, cause);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new IllegalStateException("task in " + name + " did not finish within " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts {@code body} on a new (daemon) thread that lives in this namespace. */
    public Thread startThread(String threadName, Runnable body) {
        Thread thread = new Thread(() -> {
            enterOnThisThread();
            body.run();
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A kernel counter of this namespace from {@code /proc/net/netstat} or {@code /proc/net/snmp}, e.g. ("TcpExt", "TCPOFOQueue"). */
    public long counter(String group, String field) {
        return call(() -> {
            for (String file : List.of("netstat", "snmp")) {
                List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/" + file));
                for (int i = 0; i + 1 < lines.size(); i += 2) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    if (!names[0].equals(group + ":")) {
                        continue;
                    }
                    for (int j = 1; j < names.length && j < values.length; j++) {
                        if (names[j].equals(field)) {
                            return Long.parseLong(values[j]);
                        }
                    }
                }
            }
            throw new IllegalArgumentException("no counter " + group + " " + field);
        });
    }

    /** Enters this namespace on the calling thread (for threads the caller manages itself). */
    public void enterOnThisThread() {
        int fd = RttLibc.open(path(name).toString(), RttLibc.O_RDONLY | RttLibc.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("open " + path(name) + ": " + RttLibc.describe(Native.getLastError()));
        }
        try {
            if (RttLibc.setns(fd, RttLibc.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns " + name + ": " + RttLibc.describe(Native.getLastError()));
            }
        } finally {
            RttLibc.close(fd);
        }
    }

    /** Deletes the namespace if this object created it (with it go any devices still inside). */
    @Override
    public void close() {
        if (owned && Files.exists(path(name))) {
            rootIp("netns", "del", name);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    static Path path(String name) {
        return Path.of("/run/netns", name);
    }

    /** Whether this process runs as root (namespaces, TUN devices). */
    public static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Namespaces {@code tfortt-<pid>-*} whose JVM is gone. */
    private static synchronized void removeStaleOnce() {
        if (staleRemoved) {
            return;
        }
        staleRemoved = true;
        for (String line : rootIp("netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String owner = ns.substring(PREFIX.length()).split("-")[0];
            if (!owner.matches("\\d+")) {
                continue; // a fixed name such as the script's tfortt-client: rtt.sh owns it
            }
            boolean alive = ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                rootIp("netns", "del", ns);
            }
        }
    }

    private static String rootIp(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return run(command);
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes(); // short commands: ends when the process does
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
