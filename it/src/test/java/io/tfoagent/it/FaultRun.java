package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One client peer of {@link ClientKind#FAULT_SUITE} run step by step (its {@code tfo.it.stepped}
 * mode): the test sends each request (or burst) and changes the network between them, while the
 * JVM, and with it the agent's memory of each destination, lives on. Each step's outcomes come
 * back as {@link Outcome}s.
 *
 * <p>The agent runs with the options of issue 8's backoff ({@link #agentOptions()}) and
 * {@code strict=true}: an agent that does not know them stops the JVM at start, which
 * {@link #start} reports as a failure naming the option, rather than a run without the agent that
 * would pass for one with it.
 */
final class FaultRun implements AutoCloseable {
    /** The backoff of issue 8 at test scale; {@code -Dit.faults.agent.options=} (empty) runs today's agent without them. */
    static final String BACKOFF_OPTIONS = "backoff-ms=300,backoff-max-ms=1000";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** Past every request's own bound (10 s in the peers), for a burst of them. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(40);

    private final String description;
    private final JvmProcess jvm;
    private int steps;

    /** One request's outcome as the application saw it. */
    record Outcome(boolean ok, long millis, int status, boolean connectLike, String exception, String message) {
        static Outcome parse(String line) {
            // OUTCOME <step> OK <ms> <status> | OUTCOME <step> FAIL <ms> <connectLike> <classes> <message...>
            String[] f = line.split(" ", 7);
            if (f[2].equals("OK")) {
                return new Outcome(true, Long.parseLong(f[3]), Integer.parseInt(f[4]), false, "", "");
            }
            return new Outcome(false, Long.parseLong(f[3]), 0, Boolean.parseBoolean(f[4]), f[5],
                    f.length > 6 ? f[6] : "");
        }

        /**
         * What the application got: {@code 200}, or the class of the exception it caught, marked
         * {@code [connect]} when a connect failure is among its causes (what retry logic reads). The
         * other causes are not compared: a wrapper's cause of the agent's making changes nothing an
         * application can rely on, while the top class and "it never connected" do.
         */
        String kind() {
            return ok ? String.valueOf(status) : exceptionClass() + (connectLike ? " [connect]" : "");
        }

        /** The class of the exception the application caught, without its causes; "" if it caught none. */
        String exceptionClass() {
            return ok ? "" : exception.split("<-")[0];
        }

        @Override
        public String toString() {
            return ok ? status + " " + millis + "ms" : exception + (connectLike ? " (connect-like)" : "") + " " + millis
                    + "ms: " + message;
        }
    }

    private FaultRun(String description, JvmProcess jvm) {
        this.description = description;
        this.jvm = jvm;
    }

    /** The agent options of the fault suite: client TFO for the test ranges, strict, with the backoff options. */
    static List<String> agent() {
        String extra = agentOptions();
        return Agent.with(ClientPeerJvm.CLIENT_OPTIONS + ",strict=true" + (extra.isEmpty() ? "" : "," + extra));
    }

    static String agentOptions() {
        return System.getProperty("it.faults.agent.options", BACKOFF_OPTIONS).trim();
    }

    /** Starts {@code kind} in {@code ns} and waits until it is ready for its first step (the agent warmed up). */
    static FaultRun start(Jdk jdk, ClientKind kind, NetNs ns, List<String> jvmOptions) {
        return start(jdk, kind.mainClass(), kind.toString(), ns, kind.withOwnOptions(jvmOptions), null,
                SuiteProperties.childClasspath());
    }

    /**
     * As above for any client peer ({@code mainClass}), {@code name}d in failure messages, speaking
     * HTTPS trusting {@code certificate} when it is not null.
     */
    static FaultRun start(Jdk jdk, Class<?> mainClass, String name, NetNs ns, List<String> jvmOptions,
            String certificate, String classpath) {
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.add("-D" + "tfo.it.stepped" + "=true");
        // host, port and count are the peers' usual arguments; a stepped run takes its destinations from stdin.
        List<String> args = new ArrayList<>(List.of("0.0.0.0", "1", "0", "GET"));
        if (certificate != null) {
            args.add(certificate);
        }
        JvmProcess process = JvmProcess.start(jdk, ns, jvm, classpath, mainClass.getName(), args, Map.of());
        String description = name + " on " + jdk + (jvmOptions.stream().noneMatch(o -> o.startsWith("-javaagent"))
                ? " without the agent" : " with the agent");
        FaultRun run = new FaultRun(description, process);
        try {
            List<String> ready = process.awaitLinesOrExit("READY", READY_TIMEOUT);
            if (ready.isEmpty()) {
                String stderr = process.stderr();
                boolean optionRefused = stderr.contains("tfo-agent") && stderr.contains("option");
                fail(description + ": never ready" + (optionRefused ? " — the agent refused its options (strict=true): "
                        + "the fault suite needs " + BACKOFF_OPTIONS + " (issue 8); run with -Dit.faults.agent.options="
                        + " to see today's agent without them" : "") + "\n--- stdout\n" + process.stdout()
                        + "\n--- stderr\n" + stderr);
            }
            return run;
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** One request of {@code method} to {@code host:port}; returns once the application has its answer or exception. */
    Outcome request(String host, int port) {
        return burst(host, port, 1).get(0);
    }

    /** {@code count} GETs at once to {@code host:port}, each on a thread and connection of its own. */
    List<Outcome> burst(String host, int port, int count) {
        return burst("GET", host, port, count);
    }

    private List<Outcome> burst(String method, String host, int port, int count) {
        int step = steps++;
        jvm.send(method + " " + host + " " + port + (count > 1 ? " " + count : ""));
        jvm.awaitLines("STEP ", step + 1, STEP_TIMEOUT);
        String prefix = "OUTCOME " + step + " ";
        return jvm.stdout().lines().filter(l -> l.startsWith(prefix)).map(Outcome::parse).toList();
    }

    /** {@code count} GETs one after the other to {@code host:port}. */
    List<Outcome> requests(String host, int port, int count) {
        return requests("GET", host, port, count);
    }

    /** {@code count} requests of {@code method} one after the other to {@code host:port}. */
    List<Outcome> requests(String method, String host, int port, int count) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(burst(method, host, port, 1).get(0));
        }
        return outcomes;
    }

    /** All the run printed on stderr (the agent's lines among them), once it is over ({@link #finish}). */
    String stderr() {
        return jvm.stderr();
    }

    /** The agent's exit line (its counters), once the run is over; shown beside the kernel's, never trusted alone. */
    String finish() {
        jvm.closeStdin();
        jvm.awaitExit(Duration.ofSeconds(15));
        return jvm.stderr().lines().filter(l -> l.startsWith("tfo-agent") && l.contains("client:"))
                .collect(Collectors.joining("\n"));
    }

    String stderrTail() {
        return StreamLines.tail(jvm.stderr(), 40);
    }

    @Override
    public void close() {
        jvm.close();
    }

    @Override
    public String toString() {
        return description;
    }

    /** {@code n} requests slower than {@code millis}. */
    static long slowerThan(List<Outcome> outcomes, long millis) {
        return outcomes.stream().filter(o -> o.millis() > millis).count();
    }

    static long successes(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome::ok).count();
    }

    /**
     * How the runs with and without the agent differ in what the application got, request by
     * request: the requests whose outcome (status, or exception class) is not the same.
     */
    /**
     * Whether {@code o} may be the one late failure that TFO makes a destination outage or a
     * middlebox cost: a connect-like failure, or for a stack that turns a failed read into
     * the end of the stream, that end.
     */
    static boolean isTheOneLateFailure(Outcome o, ClientKind kind) {
        return !o.ok() && (o.connectLike() || kind.readsAFailedReadAsEndOfStream()
                && (o.exception().contains("EOFException") || o.exception().contains("EofException")));
    }

    static List<Integer> differing(List<Outcome> with, List<Outcome> without) {
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < Math.max(with.size(), without.size()); i++) {
            String a = i < with.size() ? with.get(i).kind() : "missing";
            String b = i < without.size() ? without.get(i).kind() : "missing";
            if (!a.equals(b)) {
                differ.add(i);
            }
        }
        return differ;
    }

    /** A compact table of two runs side by side, for failure messages. */
    static String sideBySide(String phase, List<Outcome> with, List<Outcome> without) {
        StringBuilder s = new StringBuilder(phase).append(":\n");
        for (int i = 0; i < Math.max(with.size(), without.size()); i++) {
            s.append(String.format("  #%d  with: %-60s  without: %s%n", i, i < with.size() ? with.get(i) : "-",
                    i < without.size() ? without.get(i) : "-"));
        }
        return s.toString();
    }

    /** The outcomes of a phase by kind: {@code {200=8}} or {@code {java.net.ConnectException=2, 200=1}}. */
    static Map<String, Long> byKind(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(Outcome::kind, java.util.TreeMap::new,
                Collectors.counting()));
    }
}
