package io.tfoagent.it.bench;

import io.tfoagent.shim.TcpExtCounters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The overhead benchmarks, on each JDK given, in one table (markdown, for BENCHMARKS.md). Run by
 * {@code it/bench/overhead.sh}, which builds the class path and the network namespace; never by
 * {@code mvn verify}. Every JMH benchmark runs in forks of the JDK under test, driven from this JVM.
 * Figures are medians (of JMH iterations, or of runs), ratios are against the same JDK without the
 * agent measured in the same session, variants taking turns.
 *
 * <pre>
 * OverheadBench --agent-jar JAR --agent-classes DIR --bridge-classes DIR --out DIR
 *               [--jdk HOME]... [--only classifier,policy,native,write,tracked,conn,heap] [--quick]
 *               [--ab-rounds N] [--conn-rounds N] [--conn-seconds S] [--heap-rounds N]
 * </pre>
 */
public final class OverheadBench {
    private static final List<String> PARTS = List.of("classifier", "policy", "native", "write", "tracked", "conn",
            "heap");
    /** JMH iterations of 1 s: the classifier's HTTP path is still being recompiled after 3. */
    private static final int WARMUP_ITERATIONS = 5;
    private static final int MEASURED_ITERATIONS = 5;
    /** The A/B forks: the write path is warm after 2 s; more rounds of shorter forks beat longer forks. */
    private static final int AB_WARMUP_ITERATIONS = 2;
    private static final int AB_MEASURED_ITERATIONS = 3;
    private static final String NOT_ALLOWED = "allow=198.18.0.0/15";
    private static final String ALLOWED = "allow=127.0.0.1";
    /** Issue 7's figure: the per-write check while this many other sockets are followed. */
    private static final int TRACKED_SOCKETS = 1000;
    /** Server TFO on: the agent sets TCP_FASTOPEN on the bench's own listener, whose cookie defers the connects. */
    private static final String TRACKED_AGENT_OPTIONS = "allow=" + DeferredConnections.ADDRESS + ",server=on";
    private static final Pattern CLIENT_LINE = Pattern.compile("connections (\\d+) seconds ([\\d.]+) errors (\\d+)"
            + " connect_us ([\\d.]+) write_us ([\\d.]+) read_us ([\\d.]+) close_us ([\\d.]+)");
    private static final Pattern HEAP_LINE = Pattern.compile("heap (\\d+) metaspace (\\d+) classes (\\d+) ok (\\d+)");
    private static final Pattern NOT_ALLOWED_COUNT = Pattern.compile("skipped: (\\d+) not allowed");

    private final Path agentJar;
    private final Path agentClasses;
    private final Path bridgeClasses;
    private final Path out;
    private final boolean quick;
    private final int abRounds;
    private final int connRounds;
    private final double connSeconds;
    private final int heapRounds;
    private final String classPath = System.getProperty("java.class.path");
    private final Table table = new Table();

    private OverheadBench(Map<String, String> options) {
        agentJar = Path.of(required(options, "agent-jar")).toAbsolutePath();
        agentClasses = Path.of(required(options, "agent-classes")).toAbsolutePath();
        bridgeClasses = Path.of(required(options, "bridge-classes")).toAbsolutePath();
        out = Path.of(required(options, "out")).toAbsolutePath();
        quick = options.containsKey("quick");
        abRounds = Integer.parseInt(options.getOrDefault("ab-rounds", quick ? "1" : "4"));
        connRounds = Integer.parseInt(options.getOrDefault("conn-rounds", quick ? "2" : "15"));
        connSeconds = Double.parseDouble(options.getOrDefault("conn-seconds", quick ? "0.5" : "1"));
        heapRounds = Integer.parseInt(options.getOrDefault("heap-rounds", quick ? "1" : "3"));
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<Jdk> jdks = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("quick")) {
                options.put(key, "true");
            } else if (key.equals("jdk")) {
                jdks.add(Jdk.at(Path.of(args[++i])));
            } else {
                options.put(key, args[++i]);
            }
        }
        if (jdks.isEmpty()) {
            jdks.add(Jdk.at(Path.of(System.getProperty("java.home"))));
        }
        Set<String> parts = new LinkedHashSet<>(Arrays.asList(options.getOrDefault("only", String.join(",", PARTS))
                .split(",")));
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--only takes " + PARTS + ", got " + parts);
        }
        OverheadBench bench = new OverheadBench(options);
        Files.createDirectories(bench.out);
        for (Jdk jdk : jdks) {
            bench.run(jdk, parts);
        }
        String rendered = bench.table.render(jdks, bench.header(jdks));
        Files.writeString(bench.out.resolve("table.md"), rendered);
        System.out.print(rendered);
    }

    private String header(List<Jdk> jdks) {
        StringBuilder s = new StringBuilder();
        s.append(LocalDate.now()).append(", tfo-agent ").append(agentJar.getFileName()).append(" (")
                .append(Files.exists(agentJar) ? fileTime(agentJar) : "missing").append(")");
        for (Jdk jdk : jdks) {
            s.append(", ").append(jdk.label()).append(" = ").append(jdk.version());
        }
        String jmh = quick ? "1 x 0.3 s warm-up, 2 x 0.3 s measured"
                : WARMUP_ITERATIONS + " x 1 s warm-up, " + MEASURED_ITERATIONS + " x 1 s measured";
        String ab = quick ? jmh : AB_WARMUP_ITERATIONS + " x 1 s warm-up, " + AB_MEASURED_ITERATIONS + " x 1 s measured";
        s.append(quick ? "; QUICK settings, not for quoting" : "").append('\n')
                .append("JMH: 1 fork each, ").append(jmh).append(", median of iterations; A/B write: ")
                .append(abRounds).append(" rounds of both forks in turns (").append(ab)
                .append("), median of all iterations; connections: ").append(connRounds).append(" windows of ")
                .append(connSeconds).append(" s per variant in turns, median; heap: ").append(heapRounds)
                .append(" JVMs per variant, median\n");
        return s.toString();
    }

    private static String fileTime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toString().replaceAll("\\.\\d+Z$", "Z");
        } catch (IOException e) {
            return "?";
        }
    }

    private void run(Jdk jdk, Set<String> parts) {
        for (String part : parts) {
            progress(jdk, part);
            try {
                switch (part) {
                    case "classifier" -> classifier(jdk);
                    case "policy" -> policy(jdk);
                    case "native" -> nativeCalls(jdk);
                    case "write" -> untouchedWrite(jdk);
                    case "tracked" -> trackedSockets(jdk);
                    case "conn" -> connectionRate(jdk);
                    case "heap" -> heap(jdk);
                    default -> throw new IllegalStateException(part);
                }
            } catch (Exception e) {
                System.err.println("[" + jdk.label() + "] " + part + " failed: " + e);
                e.printStackTrace();
                table.failed(part, jdk, e);
            }
        }
    }

    private static void progress(Jdk jdk, String what) {
        System.err.println("[" + jdk.label() + " " + java.time.LocalTime.now().withNano(0) + "] " + what);
    }

    // --- JMH ---

    private void classifier(Jdk jdk) throws RunnerException {
        Map<String, List<Double>> s = jmh(jdk, "ClassifierBench", List.of(), "classifier");
        String section = "FirstWriteClassifier.classify, once per deferred connection (ns/op)";
        table.put(section, "HTTP GET head, 210 B, heap buffer", jdk, ns(s.get("httpGetHeap")), "");
        table.put(section, "HTTP GET head, 210 B, direct buffer", jdk, ns(s.get("httpGetDirect")), "");
        table.put(section, "TLS 1.3 ClientHello from SSLEngine, heap buffer", jdk, ns(s.get("tls13ClientHello")), "");
        table.put(section, "HTTP POST head, heap buffer (not replay-safe)", jdk, ns(s.get("httpPostHeap")), "");
    }

    private void policy(Jdk jdk) throws RunnerException {
        Map<String, List<Double>> s = jmh(jdk, "PolicyBench", List.of(), "policy");
        String section = "DestinationPolicy.decide, once per connect; 10 allow + 1 deny entries (ns/op)";
        table.put(section, "allowed by host name (wildcard)", jdk, ns(s.get("allowedHostName")), "");
        table.put(section, "allowed by address (CIDR, last entry)", jdk, ns(s.get("allowedAddress")), "");
        table.put(section, "not allowed (no entry matches)", jdk, ns(s.get("notAllowed")), "");
    }

    private void nativeCalls(Jdk jdk) throws RunnerException {
        Map<String, List<Double>> s = jmh(jdk, "NativeCallBench", List.of("--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"), "native");
        String section = "native-shim calls an allowed connection makes (JNA direct mapping, ns/op): "
                + "1 setsockopt(TCP_FASTOPEN_CONNECT), 3 getsockopt(TCP_INFO), 2 setsockopt(SO_SNDTIMEO) with a "
                + "connect timeout";
        table.put(section, "getsockopt(TCP_INFO) + decode", jdk, ns(s.get("tcpInfo")), "");
        table.put(section, "fcntl(O_NONBLOCK)", jdk, ns(s.get("setNonBlocking")), "");
        table.put(section, "setsockopt(TCP_FASTOPEN_CONNECT)", jdk, ns(s.get("setFastOpenConnect")), "");
    }

    private void untouchedWrite(Jdk jdk) throws IOException, RunnerException {
        String section = "Per write on a socket the agent does not touch (ns/op)";
        String agentArg = "-javaagent:" + agentJar + "=" + NOT_ALLOWED + ",server=off";
        Map<String, List<Double>> without = new LinkedHashMap<>();
        Map<String, List<Double>> with = new LinkedHashMap<>();
        Map<String, List<Double>> roundDiffs = new LinkedHashMap<>();
        for (int round = 0; round < abRounds; round++) {
            // Alternate which fork goes first, so that a drift of the machine hits both alike.
            Map<String, List<Double>> a = null;
            Map<String, List<Double>> b = null;
            for (int k = 0; k < 2; k++) {
                boolean agent = (round + k) % 2 == 1;
                String log = "write-" + (agent ? "agent" : "plain") + "-r" + round;
                Map<String, List<Double>> scores = jmh(jdk, "UntouchedWriteBench\\.channelWrite(64|0)$",
                        agent ? List.of(agentArg) : List.of(), log, AB_WARMUP_ITERATIONS, AB_MEASURED_ITERATIONS);
                if (agent) {
                    requireWoven(jdk, log);
                    b = scores;
                } else {
                    a = scores;
                }
            }
            for (String bench : a.keySet()) {
                without.computeIfAbsent(bench, x -> new ArrayList<>()).addAll(a.get(bench));
                with.computeIfAbsent(bench, x -> new ArrayList<>()).addAll(b.get(bench));
                roundDiffs.computeIfAbsent(bench, x -> new ArrayList<>())
                        .add(median(b.get(bench)) - median(a.get(bench)));
            }
        }
        for (String bench : List.of("channelWrite64", "channelWrite0")) {
            String what = bench.equals("channelWrite64") ? "SocketChannel.write 64 B, loopback"
                    : "SocketChannel.write 0 B (Java path only, no system call)";
            List<Double> w = with.get(bench);
            List<Double> wo = without.get(bench);
            table.put(section, "A/B: " + what + ", no agent", jdk, ns(wo), "");
            table.put(section, "A/B: " + what + ", agent woven in, destination not allowed", jdk,
                    ns(w) + String.format(Locale.ROOT, " (%.3fx)", median(w) / median(wo)), "");
            table.put(section, "A/B: " + what + ", difference (per round)", jdk,
                    String.format(Locale.ROOT, "%+.1f (%s)", median(w) - median(wo),
                            joined(roundDiffs.get(bench), "%+.1f")), "<= 20");
        }
        Map<String, List<Double>> direct = jmh(jdk, "UntouchedWriteBench\\.(bridgeWriting|volatileReadBaseline)$",
                List.of("--patch-module", "java.base=" + bridgeClasses,
                        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED"), "write-bridge");
        table.put(section, "direct: TfoBridge.writing(fd, buf, 0, 0), no socket tracked", jdk,
                ns(direct.get("bridgeWriting")), "<= 20");
        table.put(section, "direct: baseline, one static volatile int read", jdk,
                ns(direct.get("volatileReadBaseline")), "");
    }

    /**
     * The per-write check on an untouched socket while the real agent follows 1,000 others
     * (TrackedSocketsBench), against a fork with the same agent options that follows none; both
     * forks per round, in alternating order like the A/B above.
     */
    private void trackedSockets(Jdk jdk) throws IOException, RunnerException {
        String trackedText = String.format(Locale.ROOT, "%,d", TRACKED_SOCKETS);
        String followed = trackedText + " followed";
        String section = "Per write on an untouched socket while the agent follows " + trackedText
                + " other client sockets (deferred connects to " + DeferredConnections.ADDRESS + ", never written;"
                + " fork with none followed for comparison, same agent options: " + TRACKED_AGENT_OPTIONS + ") (ns/op)";
        List<String> jvmArgs = List.of("-javaagent:" + agentJar + "=" + TRACKED_AGENT_OPTIONS,
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");
        List<String> counts = List.of("0", Integer.toString(TRACKED_SOCKETS));
        Map<String, Map<String, List<Double>>> byCount = new LinkedHashMap<>();
        Map<String, List<Double>> roundDiffs = new LinkedHashMap<>();
        for (int round = 0; round < abRounds; round++) {
            Map<String, Map<String, List<Double>>> thisRound = new LinkedHashMap<>();
            for (int k = 0; k < 2; k++) {
                String count = counts.get((round + k) % 2);
                String log = "tracked-" + count + "-r" + round;
                thisRound.put(count, jmh(jdk, "TrackedSocketsBench\\.(channelWrite0|bridgeWriting)$", jvmArgs,
                        Map.of("tracked", count), log, AB_WARMUP_ITERATIONS, AB_MEASURED_ITERATIONS));
                requireWoven(jdk, log);
            }
            Map<String, List<Double>> none = thisRound.get(counts.get(0));
            Map<String, List<Double>> many = thisRound.get(counts.get(1));
            for (String count : counts) {
                Map<String, List<Double>> all = byCount.computeIfAbsent(count, x -> new LinkedHashMap<>());
                thisRound.get(count).forEach((bench, scores) ->
                        all.computeIfAbsent(bench, x -> new ArrayList<>()).addAll(scores));
            }
            for (String bench : none.keySet()) {
                roundDiffs.computeIfAbsent(bench, x -> new ArrayList<>())
                        .add(median(many.get(bench)) - median(none.get(bench)));
            }
        }
        for (String bench : List.of("bridgeWriting", "channelWrite0")) {
            String what = bench.equals("bridgeWriting") ? "TfoBridge.writing(untracked fd, buf, 0, 0)"
                    : "SocketChannel.write 0 B, untracked channel (JDK path + advice, no system call)";
            List<Double> none = byCount.get(counts.get(0)).get(bench);
            List<Double> many = byCount.get(counts.get(1)).get(bench);
            table.put(section, what + ", none followed", jdk, ns(none), "");
            table.put(section, what + ", " + followed, jdk, ns(many), bench.equals("bridgeWriting") ? "<= 5" : "");
            table.put(section, what + ", difference (per round)", jdk, String.format(Locale.ROOT, "%+.1f (%s)",
                    median(many) - median(none), joined(roundDiffs.get(bench), "%+.1f")),
                    bench.equals("bridgeWriting") ? "<= 5" : "");
        }
    }

    /**
     * The agent's exit line in the fork's output must count the benchmark's connect as "not
     * allowed": proof that SocketChannelImpl has the advice (JMH's own link to its fork is a
     * java.net.Socket, the other one counted).
     */
    private void requireWoven(Jdk jdk, String log) throws IOException {
        String text = Files.readString(out.resolve(jdk.label() + "-" + log + ".jmh.txt"));
        Matcher m = NOT_ALLOWED_COUNT.matcher(text);
        int seen = m.find() ? Integer.parseInt(m.group(1)) : -1;
        if (seen < 2) {
            throw new IllegalStateException("the fork with the agent did not report the benchmark's connect as not"
                    + " allowed (" + seen + "): advice not woven? see " + log);
        }
    }

    /** Scores of every measured iteration, by benchmark method name. */
    private Map<String, List<Double>> jmh(Jdk jdk, String include, List<String> extraJvmArgs, String log)
            throws RunnerException {
        return jmh(jdk, include, extraJvmArgs, log, WARMUP_ITERATIONS, MEASURED_ITERATIONS);
    }

    private Map<String, List<Double>> jmh(Jdk jdk, String include, List<String> extraJvmArgs, String log,
            int warmups, int measurements) throws RunnerException {
        return jmh(jdk, include, extraJvmArgs, Map.of(), log, warmups, measurements);
    }

    /** @param params JMH parameter values (one each: the scores are keyed by method name only) */
    private Map<String, List<Double>> jmh(Jdk jdk, String include, List<String> extraJvmArgs,
            Map<String, String> params, String log, int warmups, int measurements) throws RunnerException {
        progress(jdk, "  JMH " + include + (params.isEmpty() ? "" : " " + params)
                + (extraJvmArgs.isEmpty() ? "" : " " + extraJvmArgs));
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m",
                "-D" + AgentCore.CLASSES_PROPERTY + "=" + agentClasses));
        jvmArgs.addAll(extraJvmArgs);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("io\\.tfoagent\\.it\\.bench\\." + include)
                .jvm(jdk.java().toString())
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .forks(1)
                .shouldFailOnError(true)
                .output(out.resolve(jdk.label() + "-" + log + ".jmh.txt").toString());
        params.forEach(options::param);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(300));
        } else {
            options.warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(measurements).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            List<Double> list = scores.computeIfAbsent(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    k -> new ArrayList<>());
            for (BenchmarkResult b : result.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    list.add(i.getPrimaryResult().getScore());
                }
            }
        }
        if (scores.isEmpty()) {
            throw new IllegalStateException("JMH ran nothing for " + include);
        }
        return scores;
    }

    // --- child JVMs ---

    private record Variant(String name, List<String> jvmArgs) {}

    private void connectionRate(Jdk jdk) throws Exception {
        List<Variant> variants = List.of(
                new Variant("no agent", List.of()),
                new Variant("agent, destination not allowed (" + NOT_ALLOWED + ")",
                        List.of("-javaagent:" + agentJar + "=" + NOT_ALLOWED)),
                new Variant("agent, destination allowed (" + ALLOWED + "), TFO", List.of("-javaagent:" + agentJar
                        + "=" + ALLOWED)));
        double warmupSeconds = quick ? 1 : 3;
        Map<Variant, List<Double>> rates = new LinkedHashMap<>();
        Map<Variant, List<double[]>> phases = new LinkedHashMap<>();
        // All connections (warm-up included), errors, kernel TCPFastOpenActive: only one client runs at a time.
        Map<Variant, long[]> counts = new LinkedHashMap<>();
        List<Child> children = new ArrayList<>();
        try {
            Child server = Child.start(command(jdk, List.of("-javaagent:" + agentJar), ConnectionRateBench.class,
                    "server"), out.resolve(jdk.label() + "-conn-server.err"));
            children.add(server);
            Matcher port = Pattern.compile("port (\\d+)").matcher(server.line(30));
            if (!port.find()) {
                throw new IllegalStateException("server did not start, see " + server.stderr);
            }
            Map<Variant, Child> clients = new LinkedHashMap<>();
            for (Variant v : variants) {
                Child client = Child.start(command(jdk, v.jvmArgs(), ConnectionRateBench.class, "client", "127.0.0.1",
                        port.group(1)), out.resolve(jdk.label() + "-conn-" + slug(v.name()) + ".err"));
                children.add(client);
                clients.put(v, client);
                client.expect("ready", 30);
            }
            Path runs = out.resolve(jdk.label() + "-conn-windows.txt");
            for (int round = -1; round < connRounds; round++) { // round -1: warm-up, not measured
                for (int k = 0; k < variants.size(); k++) {
                    Variant v = variants.get(Math.floorMod(round + k, variants.size()));
                    double seconds = round < 0 ? warmupSeconds : connSeconds;
                    TcpExtCounters before = TcpExtCounters.read();
                    String line = clients.get(v).request("run " + seconds, (long) seconds + 30);
                    TcpExtCounters after = TcpExtCounters.read();
                    Files.writeString(runs, round + "\t" + v.name() + "\t" + line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    Matcher m = CLIENT_LINE.matcher(line);
                    if (!m.find()) {
                        throw new IllegalStateException("client said: " + line);
                    }
                    long[] c = counts.computeIfAbsent(v, x -> new long[3]);
                    c[0] += Long.parseLong(m.group(1)) + Long.parseLong(m.group(3));
                    c[1] += Long.parseLong(m.group(3));
                    c[2] += after.get(TcpExtCounters.ACTIVE) - before.get(TcpExtCounters.ACTIVE);
                    if (round >= 0) {
                        rates.computeIfAbsent(v, x -> new ArrayList<>())
                                .add(Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2)));
                        phases.computeIfAbsent(v, x -> new ArrayList<>()).add(new double[] {
                            Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                            Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7))});
                    }
                }
            }
        } finally {
            for (Child c : children) {
                c.close();
            }
        }
        String section = "Connections per second: connect, GET, read to EOF, close; loopback, one at a time; "
                + "server JVM with the agent (median conn/s of " + connRounds + " windows of " + connSeconds
                + " s; ratio: median of the per-round ratios to no agent; min-max; in SYN: kernel "
                + "TCPFastOpenActive of all connections, warm-up included)";
        String phaseSection = "Where a connection's time goes, same windows (µs per phase: connect / write / "
                + "read to EOF / close; mean per window, median of windows)";
        List<Double> base = rates.get(variants.get(0));
        for (Variant v : variants) {
            List<Double> r = rates.get(v);
            List<Double> paired = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                paired.add(r.get(i) / base.get(i));
            }
            long[] c = counts.get(v);
            String cell = String.format(Locale.ROOT, "%,.0f (%.3fx; %s-%s; in SYN %d of %d%s)", median(r),
                    median(paired), thousands(min(r)), thousands(max(r)), c[2], c[0],
                    c[1] > 0 ? "; " + c[1] + " errors" : "");
            table.put(section, v.name(), jdk, cell, v == variants.get(1) ? ">= 0.98x" : "");
            List<String> p = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<Double> column = new ArrayList<>();
                for (double[] window : phases.get(v)) {
                    column.add(window[i]);
                }
                p.add(String.format(Locale.ROOT, "%.1f", median(column)));
            }
            table.put(phaseSection, v.name(), jdk, String.join(" / ", p), "");
        }
    }

    /** A long-lived child JVM spoken to by lines on stdin and stdout; stderr goes to a file. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.io.Writer stdin;
        final Path stderr;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone; line() says so
                }
            }, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(List<String> command, Path stderr) throws IOException {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            return new Child(p, stderr);
        }

        String line(long timeoutSeconds) throws InterruptedException, IOException {
            String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("no answer from child in " + timeoutSeconds + " s (alive: "
                        + process.isAlive() + "): " + Files.readString(stderr));
            }
            return line;
        }

        void expect(String line, long timeoutSeconds) throws InterruptedException, IOException {
            String got = line(timeoutSeconds);
            if (!got.equals(line)) {
                throw new IllegalStateException("child said '" + got + "', expected '" + line + "'");
            }
        }

        String request(String command, long timeoutSeconds) throws InterruptedException, IOException {
            stdin.write(command + "\n");
            stdin.flush();
            return line(timeoutSeconds);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private void heap(Jdk jdk) throws Exception {
        List<Variant> variants = List.of(new Variant("no agent", List.of()),
                new Variant("agent (" + ALLOWED + ", server on)", List.of("-javaagent:" + agentJar + "=" + ALLOWED)));
        Map<Variant, List<long[]>> samples = new LinkedHashMap<>();
        long tfo = 0;
        for (int round = 0; round < heapRounds; round++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((round + k) % variants.size());
                TcpExtCounters before = TcpExtCounters.read();
                String line = runChild(jdk, v.jvmArgs(), AgentHeapBench.class, List.of("1000"),
                        "heap-" + slug(v.name()), 120);
                if (v != variants.get(0)) {
                    tfo += TcpExtCounters.read().get(TcpExtCounters.PASSIVE) - before.get(TcpExtCounters.PASSIVE);
                }
                Matcher m = HEAP_LINE.matcher(line);
                if (!m.find()) {
                    throw new IllegalStateException("heap child said: " + line);
                }
                samples.computeIfAbsent(v, x -> new ArrayList<>()).add(new long[] {Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            }
        }
        String section = "After 1000 connections to a listener in the same JVM, full GC (MB used; median of JVMs)";
        double[] without = medians(samples.get(variants.get(0)));
        double[] with = medians(samples.get(variants.get(1)));
        table.put(section, "heap, no agent", jdk, mb(without[0]), "");
        table.put(section, "heap, agent (" + ALLOWED + ", server on)", jdk,
                mb(with[0]) + " (TFO accepted " + tfo + " of " + 1000L * heapRounds + ")", "");
        table.put(section, "agent's heap (difference)", jdk, String.format(Locale.ROOT, "%+.2f", (with[0] - without[0])
                / 1e6), "<= 5");
        table.put(section, "metaspace, no agent / agent (classes loaded)", jdk, String.format(Locale.ROOT,
                "%.1f / %.1f (%,.0f / %,.0f)", without[1] / 1e6, with[1] / 1e6, without[2], with[2]), "");
    }

    private static double[] medians(List<long[]> rows) {
        double[] m = new double[rows.get(0).length];
        for (int i = 0; i < m.length; i++) {
            List<Double> column = new ArrayList<>();
            for (long[] r : rows) {
                column.add((double) r[i]);
            }
            m[i] = median(column);
        }
        return m;
    }

    private List<String> command(Jdk jdk, List<String> jvmArgs, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a child JVM to its end; returns its stdout; its stderr goes on the variant's log. */
    private String runChild(Jdk jdk, List<String> jvmArgs, Class<?> main, List<String> args, String log,
            long timeoutSeconds) throws IOException, InterruptedException {
        Path stderr = out.resolve(jdk.label() + "-" + log + ".err");
        Path stdout = Files.createTempFile(out, "child", ".out");
        try {
            Process p = new ProcessBuilder(command(jdk, jvmArgs, main, args.toArray(String[]::new)))
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(main.getSimpleName() + " did not end in " + timeoutSeconds + " s");
            }
            String text = Files.readString(stdout);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(main.getSimpleName() + " exited " + p.exitValue() + ": " + text
                        + " (see " + stderr + ")");
            }
            return text;
        } finally {
            Files.deleteIfExists(stdout);
        }
    }

    private static String slug(String s) {
        return s.replaceAll("\\(.*", "").trim().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    }

    // --- numbers ---

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String ns(List<Double> scores) {
        double m = median(scores);
        return String.format(Locale.ROOT, m < 100 ? "%.1f" : "%,.0f", m);
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1e6);
    }

    private static String thousands(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String joined(List<Double> values, String format) {
        List<String> s = new ArrayList<>();
        for (double v : values) {
            s.add(String.format(Locale.ROOT, format, v));
        }
        return String.join(", ", s);
    }

    // --- output ---

    /** A JDK to run on, labelled by its feature release as the tests label them (jdk17, jdk25). */
    record Jdk(String label, Path home, String version) {
        static Jdk at(Path home) {
            Path release = home.resolve("release");
            String version = "?";
            String vendor = "";
            try {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    } else if (line.startsWith("IMPLEMENTOR=")) {
                        vendor = line.substring("IMPLEMENTOR=".length()).replace("\"", "");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("not a JDK: no " + release, e);
            }
            String label = "jdk" + Runtime.Version.parse(version).feature();
            return new Jdk(label, home, (vendor.isEmpty() ? "" : vendor + " ") + version);
        }

        Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    private static final class Table {
        private final Map<String, Map<String, Map<String, String>>> sections = new LinkedHashMap<>();
        private final Map<String, String> targets = new LinkedHashMap<>();

        void put(String section, String row, Jdk jdk, String cell, String target) {
            sections.computeIfAbsent(section, s -> new LinkedHashMap<>())
                    .computeIfAbsent(row, r -> new LinkedHashMap<>()).put(jdk.label(), cell);
            if (!target.isEmpty()) {
                targets.put(section + "\0" + row, target);
            }
        }

        void failed(String part, Jdk jdk, Exception e) {
            put("Failed parts (see the logs)", part, jdk, e.toString().replace('|', '/'), "");
        }

        String render(List<Jdk> jdks, String header) {
            StringBuilder s = new StringBuilder("\n").append(header).append('\n');
            for (Map.Entry<String, Map<String, Map<String, String>>> section : sections.entrySet()) {
                s.append("\n**").append(section.getKey()).append("**\n\n| measure |");
                for (Jdk jdk : jdks) {
                    s.append(' ').append(jdk.label()).append(" |");
                }
                s.append(" target |\n| --- |");
                s.append(" ---: |".repeat(jdks.size())).append(" --- |\n");
                for (Map.Entry<String, Map<String, String>> row : section.getValue().entrySet()) {
                    s.append("| ").append(row.getKey()).append(" |");
                    for (Jdk jdk : jdks) {
                        s.append(' ').append(row.getValue().getOrDefault(jdk.label(), "-")).append(" |");
                    }
                    s.append(' ').append(targets.getOrDefault(section.getKey() + "\0" + row.getKey(), ""))
                            .append(" |\n");
                }
            }
            return s.toString();
        }
    }
}
