package io.tfoagent.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tfoagent.it.peers.ControlAgent;
import io.tfoagent.it.peers.JdkHttpServer;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md §3: the agent must not cost the application its class data sharing, as
 * {@code Instrumentation.appendToBootstrapClassLoaderSearch} would. A dynamic AppCDS archive is
 * made for a small app without the agent; run with the agent, the app's main class must still come
 * from that archive, and the JVM must say nothing about CDS that it does not also say for an agent
 * that does nothing (JDK 25 reports the {@code java.instrument} module any {@code -javaagent} adds as
 * a mismatch with its base archive). Controls show the oracle can fail: with the bootstrap search
 * appended, by {@code -Xbootclasspath/a} or by an agent, the main class no longer comes from the
 * archive.
 */
class ClassDataSharingIT {
    private static final String HOST = "127.0.0.1";
    private static final String MAIN = JdkHttpServer.class.getName();
    private static final String SHARED = "shared objects file";
    private static final String BOOT_APPEND_WARNING = "Sharing is only supported for boot loader classes";
    private static final int REQUESTS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger PORTS = new AtomicInteger(18280);

    @TempDir
    static Path dir;

    private static NetNs ns;
    private static Path appJar;
    private static Path controlAgentJar;
    private static Path emptyJar;
    /** One archive per JDK (an archive belongs to the JVM build that dumped it), made on first use. */
    private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Ways to put a jar on the bootstrap class loader's search after the archive was dumped. */
    enum BootstrapAppend {
        XBOOTCLASSPATH_OPTION,
        AGENT_APPENDS_AT_START
    }

    @BeforeAll
    static void setUp() throws IOException {
        NetNs.assumeRoot();
        ns = NetNs.create();
        Path classes = SuiteProperties.testClasses();
        // CDS archives classes of the class path from jars only, not from directories.
        appJar = jar("app.jar", null, classes, "io/tfoagent/it/peers/JdkHttpServer", "io/tfoagent/it/peers/PeerRuntime",
                "io/tfoagent/it/peers/AgentWarmUp");
        controlAgentJar = jar("control-agent.jar", ControlAgent.class.getName(), classes,
                "io/tfoagent/it/peers/ControlAgent");
        emptyJar = jar("empty.jar", null, classes);
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    static Stream<Arguments> jdkAndBootstrapAppend() {
        return Jdks.crossedWith((Object[]) BootstrapAppend.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tfoagent.it.Jdks#all")
    void appClassesStaySharedWithAgent(Jdk jdk) {
        Path archive = archiveFor(jdk);
        Run baseline = run(jdk, archive, List.of("-javaagent:" + controlAgentJar), 0);
        Run withAgent = run(jdk, archive, Agent.withDefaults(), REQUESTS);

        assertAll(
                () -> assertTrue(baseline.mainSource().startsWith(SHARED), "control run:\n" + baseline),
                () -> assertTrue(withAgent.mainSource().startsWith(SHARED), withAgent::toString),
                () -> assertEquals(baseline.cdsLines(), withAgent.cdsLines(),
                        "CDS lines with tfo-agent differ from those with an agent that does nothing:\n" + withAgent),
                () -> assertTrue(withAgent.output().noneMatch(l -> l.contains(BOOT_APPEND_WARNING)), withAgent::toString),
                () -> assertEquals(Collections.nCopies(REQUESTS, "200"), withAgent.statuses(), withAgent::toString),
                () -> assertTrue(withAgent.passive() >= REQUESTS - 1, withAgent::toString),
                () -> assertTrue(withAgent.stderr().lines().anyMatch(l -> l.startsWith("tfo-agent: TFO on listener")),
                        withAgent::toString),
                () -> assertEquals(List.of(), withAgent.stderr().lines()
                        .filter(l -> !l.startsWith("tfo-agent")).toList(), withAgent::toString));
    }

    /**
     * The controls. {@code -Xbootclasspath/a} unknown at dump time makes the JVM drop the app's
     * archive. An append at run time draws the JVM's warning; JDK 25 then also loads the app's
     * classes from their jar, while JDK 17 still maps them from a dynamic (top) archive and turns
     * sharing off only for the base archive's application classes.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdkAndBootstrapAppend")
    void appendedBootstrapSearchCostsAppClassesTheirSharing(Jdk jdk, BootstrapAppend how) {
        Path archive = archiveFor(jdk);
        Run control = how == BootstrapAppend.XBOOTCLASSPATH_OPTION
                ? run(jdk, archive, List.of("-Xbootclasspath/a:" + emptyJar), 0)
                : run(jdk, archive, List.of("-javaagent:" + controlAgentJar + "=" + emptyJar), 0);

        boolean mainShared = control.mainSource().startsWith(SHARED);
        boolean warned = control.output().anyMatch(l -> l.contains(BOOT_APPEND_WARNING));
        assertNotEquals("", control.mainSource(), "main class not in the class loading log:\n" + control);
        switch (how) {
            case XBOOTCLASSPATH_OPTION -> assertFalse(mainShared, control::toString);
            case AGENT_APPENDS_AT_START -> assertAll(
                    () -> assertTrue(warned, control::toString),
                    () -> assertTrue(jdk.feature() < 25 || !mainShared, control::toString));
        }
    }

    /** Dumps the app's classes at its exit, without any agent, after one request has loaded the server's classes. */
    private static Path archiveFor(Jdk jdk) {
        return ARCHIVES.computeIfAbsent(jdk.name(), name -> {
            Path archive = dir.resolve("app-" + name + ".jsa");
            int port = PORTS.getAndIncrement();
            String status;
            String stderr;
            String stdout;
            try (JvmProcess app = JvmProcess.start(jdk, ns, List.of("-XX:ArchiveClassesAtExit=" + archive),
                    appJar.toString(), MAIN, List.of(HOST, String.valueOf(port)), Map.of())) {
                app.awaitLine("LISTENING ", START_TIMEOUT);
                status = Curl.get(ns, HOST, port);
                stderr = app.stop(); // the JVM dumps the archive on its way out
                stdout = app.stdout();
            }
            if (!"200".equals(status) || !Files.isRegularFile(archive)) {
                fail("no archive " + archive + " (request: " + status + ")\n--- stdout\n" + stdout + "\n--- stderr\n"
                        + stderr);
            }
            return archive;
        });
    }

    /** Runs the app from the archive with {@code options}, sends {@code requests} GETs, and collects what it showed. */
    private static Run run(Jdk jdk, Path archive, List<String> options, int requests) {
        Path classLoadLog = dir.resolve("class-load-" + RUNS.incrementAndGet() + ".log");
        List<String> jvmOptions = new ArrayList<>(options);
        jvmOptions.addAll(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info:file=" + classLoadLog));
        int port = PORTS.getAndIncrement();
        long passiveBefore = ns.tcpExt().get(TcpExtCounters.PASSIVE);
        try (JvmProcess app = JvmProcess.start(jdk, ns, jvmOptions, appJar.toString(), MAIN,
                List.of(HOST, String.valueOf(port)), Map.of())) {
            app.awaitLine("LISTENING ", START_TIMEOUT);
            List<String> statuses = IntStream.range(0, requests).mapToObj(i -> Curl.get(ns, HOST, port)).toList();
            long passive = ns.tcpExt().get(TcpExtCounters.PASSIVE) - passiveBefore;
            String stderr = app.stop();
            return new Run(mainSource(classLoadLog), app.stdout(), stderr, statuses, passive);
        }
    }

    /** Where the class loading log says the main class came from: "shared objects file (top)", a jar, ... */
    private static String mainSource(Path classLoadLog) {
        String marker = "] " + MAIN + " source: ";
        try (Stream<String> lines = Files.lines(classLoadLog)) {
            return lines.filter(l -> l.contains(marker)).map(l -> l.substring(l.indexOf(marker) + marker.length()))
                    .findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar of {@code classes} (names without ".class", nested classes included), with a Premain-Class if given. */
    private static Path jar(String name, String premainClass, Path classesRoot, String... classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (premainClass != null) {
            manifest.getMainAttributes().putValue("Premain-Class", premainClass);
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String type : classes) {
                Path pkg = classesRoot.resolve(type).getParent();
                String simple = classesRoot.resolve(type).getFileName().toString();
                try (Stream<Path> files = Files.list(pkg)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().equals(simple + ".class")
                            || f.getFileName().toString().startsWith(simple + "$")).sorted().toList()) {
                        out.putNextEntry(new JarEntry(classesRoot.relativize(file).toString()));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /** One run: the main class's source, the JVM's output, curl's statuses and the kernel's passive TFO count. */
    private record Run(String mainSource, String stdout, String stderr, List<String> statuses, long passive) {
        Stream<String> output() {
            return Stream.concat(stdout.lines(), stderr.lines());
        }

        /** The JVM's CDS messages, without their uptime decoration. */
        List<String> cdsLines() {
            return output().filter(l -> l.contains("[cds")).map(l -> l.replaceFirst("^\\[[0-9.]+s\\]", "")).toList();
        }

        @Override
        public String toString() {
            return "main class source: " + mainSource + "; statuses " + statuses + "; passive TFO " + passive
                    + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
