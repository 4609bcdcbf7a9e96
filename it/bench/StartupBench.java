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
 * alike. Prints median and p90 per variant and the overhead of the medians. For the app that
 * connects at once ("client": one HTTP GET to a server in this process, on loopback, to a
 * destination the agent allows), also the first connection's own time, from main() to the
 * end of the response: the agent must never make it wait for its warm-up.
 *
 * Usage: java it/bench/StartupBench.java AGENT_JAR RUNS JAVA_HOME...
 */
public class StartupBench {
    /**
     * "hello": prints and exits. "listener": also opens a ServerSocket and a ServerSocketChannel.
     * "client PORT": first one GET to 127.0.0.1:PORT, whose time it prints.
     */
    private static final String APP = String.join("\n",
            "public class TrivialApp {",
            "    public static void main(String[] args) throws Exception {",
            "        long start = System.nanoTime();",
            "        String extra = \"\";",
            "        if (args.length == 1) {",
            "            new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()).close();",
            "            java.nio.channels.ServerSocketChannel.open()",
            "                    .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)).close();",
            "        } else if (args.length == 2) {",
            "            try (java.net.Socket s = new java.net.Socket()) {",
            "                s.connect(new java.net.InetSocketAddress(\"127.0.0.1\", Integer.parseInt(args[1])), 5000);",
            "                s.getOutputStream().write(\"GET / HTTP/1.1\\r\\nHost: b\\r\\n\\r\\n\".getBytes());",
            "                s.getInputStream().readAllBytes();",
            "            }",
            "            extra = \" first-connection-ns=\" + (System.nanoTime() - start);",
            "        }",
            "        System.out.println(\"hello\" + extra);",
            "    }",
            "}");
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes();

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !args[1].matches("[0-9]{1,4}")) {
            System.err.println("usage: java it/bench/StartupBench.java AGENT_JAR RUNS JAVA_HOME...");
            System.exit(2);
        }
        String jar = new File(args[0]).getAbsolutePath();
        if (!new File(jar).isFile()) {
            System.err.println("StartupBench: no agent jar at " + jar + "; fix: mvn -B -ntp -DskipTests package"
                    + " (builds agent/target/tfo-agent.jar), then run this again");
            System.exit(2);
        }
        for (int i = 2; i < args.length; i++) {
            if (!new File(args[i], "bin/java").canExecute()) {
                System.err.println("StartupBench: not a JDK home: " + args[i] + " (no bin/java in it)");
                System.exit(2);
            }
        }
        int runs = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("tfo-startup");
        Path source = dir.resolve("TrivialApp.java");
        Files.writeString(source, APP);
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(),
                source.toString()) != 0) {
            throw new IllegalStateException("cannot compile the trivial app");
        }
        int port = startHttpServer();
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String java = args[i] + "/bin/java";
            String jdk = version(java);
            for (String app : List.of("hello", "listener", "client")) {
                List<String> base = List.of(java, "-cp", dir.toString(), "TrivialApp");
                List<String> plain = new ArrayList<>(base);
                // The agent as deployed (its woven-class cache filled by the first run), and with
                // the cache off: what every JVM would pay without it, and the very first run pays.
                // The client's destination is allowed: its connect goes through the client side.
                String options = "=log=off,allow=127.0.0.1";
                List<String> agent = new ArrayList<>(List.of(java, "-javaagent:" + jar + options));
                List<String> uncached = new ArrayList<>(List.of(java, "-javaagent:" + jar + options + ",cache-dir=off"));
                agent.addAll(base.subList(1, base.size()));
                uncached.addAll(base.subList(1, base.size()));
                List<String> appArgs = app.equals("listener") ? List.of("x")
                        : app.equals("client") ? List.of("client", String.valueOf(port)) : List.of();
                plain.addAll(appArgs);
                agent.addAll(appArgs);
                uncached.addAll(appArgs);
                variants.put(jdk + " " + app + " without", plain);
                variants.put(jdk + " " + app + " with agent", agent);
                variants.put(jdk + " " + app + " agent, no cache", uncached);
            }
        }
        Map<String, long[]> times = new LinkedHashMap<>();
        Map<String, long[]> firstConnections = new LinkedHashMap<>();
        variants.keySet().forEach(k -> times.put(k, new long[runs]));
        variants.keySet().forEach(k -> firstConnections.put(k, new long[runs]));
        long[] ignored = new long[1];
        for (String warm : variants.keySet()) {
            run(variants.get(warm), ignored, 0); // page cache, CDS archive mapping
        }
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                times.get(v.getKey())[r] = run(v.getValue(), firstConnections.get(v.getKey()), r);
            }
        }
        System.out.printf("%-32s %10s %10s %12s %16s %12s%n", "variant (" + runs + " runs each)", "median ms",
                "p90 ms", "overhead ms", "1st conn med ms", "overhead ms");
        long[] baseline = new long[2];
        for (Map.Entry<String, long[]> t : times.entrySet()) {
            long median = median(t.getValue());
            long p90 = percentile(t.getValue(), 0.9);
            long connection = median(firstConnections.get(t.getKey()));
            boolean with = !t.getKey().endsWith("without");
            if (!with) {
                baseline = new long[] {median, connection};
            }
            boolean client = t.getKey().contains(" client ");
            System.out.printf("%-32s %10.1f %10.1f %12s %16s %12s%n", t.getKey(), median / 1e6, p90 / 1e6,
                    with ? String.format("%+.1f", (median - baseline[0]) / 1e6) : "",
                    client ? String.format("%.1f", connection / 1e6) : "",
                    client && with ? String.format("%+.1f", (connection - baseline[1]) / 1e6) : "");
        }
    }

    private static long median(long[] values) {
        return percentile(values, 0.5);
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(sorted.length * p) - 1))];
    }

    /** Runs the app once: its wall time, and in {@code firstConnection[slot]} what it printed of its connection. */
    private static long run(List<String> command, long[] firstConnection, int slot) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("hello")) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        long wall = System.nanoTime() - start;
        int at = out.indexOf("first-connection-ns=");
        if (at >= 0) {
            firstConnection[slot] = Long.parseLong(out.substring(at + "first-connection-ns=".length()).trim());
        }
        return wall;
    }

    /** A loopback HTTP server on a thread of its own, answering every connection once. */
    private static int startHttpServer() throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (true) {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write(RESPONSE);
                } catch (Exception e) {
                    // the next connection
                }
            }
        }, "http");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
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
