package io.tfoagent.runtime;

import io.tfoagent.advice.SocketClassTransformer;
import io.tfoagent.bridge.BridgeInstaller;
import io.tfoagent.bridge.JdkClientKernel;
import io.tfoagent.core.AgentLog;
import io.tfoagent.core.Decisions;
import io.tfoagent.core.NotCovered;
import io.tfoagent.core.Printable;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.client.FirstWriteClassifier;
import io.tfoagent.core.client.NettyEpollConnects;
import io.tfoagent.core.client.NettyEpollCoverage;
import io.tfoagent.core.options.AgentOptions;
import io.tfoagent.core.options.OptionsParser;
import io.tfoagent.core.server.OpenListeners;
import io.tfoagent.core.server.ServerFastOpen;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.Platform;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the agent inside the JVM: options, then the bridge into java.base, then the
 * advice. A rejected option entry or an unusable log file costs one line and only itself;
 * any other failure ends here as one line, and the application runs as without the agent.
 * Only {@code strict=true} turns a rejected entry or an unusable log into a failed start, and
 * only at the JVM's start ({@code premain}); on attach it keeps the agent out instead.
 */
public final class AgentRuntime {
    private static boolean started;

    private AgentRuntime() {}

    public static synchronized void start(String arguments, Instrumentation inst, boolean attached) {
        if (started) {
            AgentLog.toStderr().line("already running in this JVM; the options of this "
                    + (attached ? "attach" : "start") + " are ignored");
            return;
        }
        AgentOptions options;
        AgentLog log;
        String unusableLog = null;
        try {
            options = OptionsParser.parse(System.getenv(OptionsParser.ENVIRONMENT_VARIABLE), arguments);
            try {
                log = AgentLog.open(options.log());
            } catch (UncheckedIOException e) {
                log = AgentLog.toStderr();
                unusableLog = e.getMessage();
            }
        } catch (RuntimeException e) {
            // Never thrown by contract (OptionsParserTest fuzzes it), but anything thrown from here would
            // read as strict=true's stop to TfoAgent.premain: fail open instead.
            AgentLog.toStderr().line("cannot read the options (" + e + "); the application runs without the agent");
            return;
        }
        List<String> problems = new ArrayList<>(options.rejected());
        if (unusableLog != null) {
            problems.add(unusableLog);
        }
        if (options.strict() && !problems.isEmpty()) {
            String first = problems.get(0) + (problems.size() > 1 ? " (and other problems)" : "");
            if (!attached) {
                throw new IllegalArgumentException(AgentLog.PREFIX + Printable.line(first) + " (strict=true: stopping)");
            }
            // An attach never stops the application it joins: strict=true is about a JVM's start.
            log.line(first + " (strict=true stops a JVM at its start, not one attached to); the application runs"
                    + " without the agent");
            return;
        }
        // Without strict=true a problem costs only its own entry (or the log file): the rest applies.
        for (String rejected : options.rejected()) {
            log.line(rejected);
        }
        if (unusableLog != null) {
            log.line(unusableLog + "; logging to stderr");
        }
        try {
            String unsupported = Platform.unsupportedReason();
            if (unsupported != null) {
                log.line("off: " + unsupported + "; the application runs without the agent");
                return;
            }
            StartupReport report = StartupReport.probe(options);
            log.line(report.line());
            log.line("options in effect: " + options.effective());
            for (String warning : report.warnings()) {
                log.line(warning);
            }
            if (!options.server() && !options.client()) {
                return;
            }
            BridgeInstaller.define(inst);
            ServerFastOpen server = options.server() ? new ServerFastOpen(options, log) : null;
            JdkClientKernel kernel = new JdkClientKernel();
            ClientFastOpen client = options.client() ? new ClientFastOpen(options.destinationPolicy(),
                    new FirstWriteClassifier(options.safeHttpMethods()), options.clientTimings(), log,
                    kernel, BridgeInstaller.trackedSockets(), options.dryRun()) : null;
            JfrDecisions jfr = JfrDecisions.forThisJvm();
            Decisions decisions = jfr != null ? jfr : Decisions.NONE;
            if (server != null) {
                server.counters().reportTo(decisions);
            }
            if (client != null) {
                client.counters().reportTo(decisions);
            }
            NotCovered notCovered = new NotCovered(log, client != null ? options.destinationPolicy() : null,
                    server != null);
            NettyEpollCoverage nettyCoverage = new NettyEpollCoverage();
            NettyEpollConnects netty = client != null
                    ? new NettyEpollConnects(client, kernel, notCovered, nettyCoverage, log) : null;
            BridgeInstaller.connect(server, client, netty, notCovered, log);
            SocketClassTransformer transformer = SocketClassTransformer.of(server != null, client != null, log);
            if (client != null) {
                transformer = transformer.reportingTo(new ClientReadiness(client, nettyCoverage));
            }
            if (options.cacheDir() != null) {
                transformer = transformer.cachedIn(options.cacheDir(), StartupReport.VERSION);
            }
            transformer.install(inst);
            if (attached) {
                new NativeWarmUp(jfr).run();
                transformer.weaveAllAndReport();
                new ListenersOpenedMeanwhile(server).run();
            } else {
                transformer.warmUpInBackground(new NativeWarmUp(jfr), new ListenersOpenedMeanwhile(server));
            }
            PeriodicReport periodic = new PeriodicReport(log, server, client, notCovered, options.logIntervalSeconds(),
                    attached);
            periodic.start();
            Runtime.getRuntime().addShutdownHook(new ExitReport(log, server, client, notCovered, periodic));
            started = true;
        } catch (Throwable t) {
            log.line("cannot start (" + t + "); the application runs without the agent");
        }
    }

    /** Hands the weaving's outcome to the client core; a class, not a lambda, for start-up time. */
    private static final class ClientReadiness implements SocketClassTransformer.ClientSideReadiness {
        private final ClientFastOpen client;
        private final NettyEpollCoverage netty;

        ClientReadiness(ClientFastOpen client, NettyEpollCoverage netty) {
            this.client = client;
            this.netty = netty;
        }

        @Override
        public void woven() {
            netty.weavingDone(); // first: the client side may defer connects once it hears
            client.weavingDone();
        }

        @Override
        public void notWoven(String reason) {
            client.weavingFailed(reason);
        }

        @Override
        public void wovenOutsideJdk(ClassLoader loader, String className) {
            netty.woven(loader, className);
        }
    }

    /** After the warm-up: listeners the application opened while their class was left for it. */
    private static final class ListenersOpenedMeanwhile implements Runnable {
        private final ServerFastOpen server;

        ListenersOpenedMeanwhile(ServerFastOpen server) {
            this.server = server;
        }

        @Override
        public void run() {
            if (server != null) {
                try {
                    server.onListenersOpenedBefore(OpenListeners.scan());
                } catch (Throwable t) {
                    // no /proc: those listeners stay without TFO, as before the agent
                }
            }
        }
    }

    /**
     * Loads JNA and binds libc ahead of the first socket (a failure is left for that socket to
     * report); JFR's event class is loaded here when a recording runs already, else by the
     * thread that starts one (never an application's thread).
     */
    private static final class NativeWarmUp implements Runnable {
        private final JfrDecisions jfr;

        NativeWarmUp(JfrDecisions jfr) {
            this.jfr = jfr;
        }

        @Override
        public void run() {
            try {
                LinuxSocket.loadNative();
            } catch (Throwable t) {
                // ServerFastOpen and ClientFastOpen say it once, when a socket needs it.
            }
            if (jfr != null) {
                jfr.loadWhenARecordingStarts();
            }
        }
    }
}
