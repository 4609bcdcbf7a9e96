import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * Start-up overhead of tfo-agent: wall time from process start to exit of a trivial app,
 * without and with the agent, interleaved run by run so machine noise hits every variant
 * alike. Prints median and p90 per variant and the overhead of the medians.
 *
 * Usage: java it/bench/StartupBench.java AGENT_JAR RUNS JAVA_HOME...
 */
public class StartupBench {
    /** "hello": prints and exits. "listener": also opens a ServerSocket and a ServerSocketChannel. */
    private static final String APP = String.join("\n",
            "public class TrivialApp {",
            "    public static void main(String[] args) throws Exception {",
            "        if (args.length > 0) {",
            "            new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()).close();",
            "            java.nio.channels.ServerSocketChannel.open()",
            "                    .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)).close();",
            "        }",
            "        System.out.println(\"hello\");",
            "    }",
            "}");

    public static void main(String[] args) throws Exception {
        String jar = new File(args[0]).getAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("tfo-startup");
        Path source = dir.resolve("TrivialApp.java");
        Files.writeString(source, APP);
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(),
                source.toString()) != 0) {
            throw new IllegalStateException("cannot compile the trivial app");
        }
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String java = args[i] + "/bin/java";
            String jdk = version(java);
            for (String app : List.of("hello", "listener")) {
                List<String> base = List.of(java, "-cp", dir.toString(), "TrivialApp");
                List<String> plain = new ArrayList<>(base);
                // The agent as deployed (its woven-class cache filled by the first run), and with
                // the cache off: what every JVM would pay without it, and the very first run pays.
                List<String> agent = new ArrayList<>(List.of(java, "-javaagent:" + jar + "=log=off"));
                List<String> uncached = new ArrayList<>(List.of(java, "-javaagent:" + jar + "=log=off,cache-dir=off"));
                agent.addAll(base.subList(1, base.size()));
                uncached.addAll(base.subList(1, base.size()));
                if (app.equals("listener")) {
                    plain.add("x");
                    agent.add("x");
                    uncached.add("x");
                }
                variants.put(jdk + " " + app + " without", plain);
                variants.put(jdk + " " + app + " with agent", agent);
                variants.put(jdk + " " + app + " agent, no cache", uncached);
            }
        }
        Map<String, long[]> times = new LinkedHashMap<>();
        variants.keySet().forEach(k -> times.put(k, new long[runs]));
        for (String warm : variants.keySet()) {
            run(variants.get(warm)); // page cache, CDS archive mapping
        }
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                times.get(v.getKey())[r] = run(v.getValue());
            }
        }
        System.out.printf("%-32s %10s %10s %12s%n", "variant (" + runs + " runs each)", "median ms", "p90 ms",
                "overhead ms");
        long baseline = 0;
        for (Map.Entry<String, long[]> t : times.entrySet()) {
            long[] sorted = t.getValue().clone();
            Arrays.sort(sorted);
            long median = sorted[runs / 2];
            long p90 = sorted[Math.min(runs - 1, (int) Math.ceil(runs * 0.9) - 1)];
            boolean with = !t.getKey().endsWith("without");
            if (!with) {
                baseline = median;
            }
            System.out.printf("%-32s %10.1f %10.1f %12s%n", t.getKey(), median / 1e6, p90 / 1e6,
                    with ? String.format("%+.1f", (median - baseline) / 1e6) : "");
        }
    }

    private static long run(List<String> command) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("hello")) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return System.nanoTime() - start;
    }

    private static String version(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.trim().startsWith("java.specification.version")) {
                return "JDK " + line.substring(line.indexOf('=') + 1).trim();
            }
        }
        return java;
    }
}
