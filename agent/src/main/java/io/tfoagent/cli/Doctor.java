package io.tfoagent.cli;

import io.tfoagent.advice.SocketClassTransformer;
import io.tfoagent.bridge.JdkAccess;
import io.tfoagent.core.AgentLog;
import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.Platform;
import io.tfoagent.shim.TcpExtCounters;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * {@code java -jar tfo-agent.jar doctor [HOST:PORT]}: checks, on this host and JDK and in this
 * network namespace, everything the agent depends on, proves TFO end to end on loopback, and
 * prints the fix for what is missing; with a destination, also whether the kernel holds (or a
 * probe gets) its cookie. Exit status 0 when every check passed, 1 when one failed.
 */
final class Doctor {
    private static final String BLACKHOLE_TIMEOUT = "net.ipv4.tcp_fastopen_blackhole_timeout_sec";
    private static final Path BLACKHOLE_TIMEOUT_PATH = Paths.get("/proc/sys/net/ipv4/tcp_fastopen_blackhole_timeout_sec");

    private final Instrumentation inst;
    private final PrintStream out;
    private boolean healthy = true;
    /** Null when unreadable (said by checkSysctl). */
    private FastOpenSysctl sysctl;

    Doctor(Instrumentation inst, PrintStream out) {
        this.inst = inst;
        this.out = out;
    }

    /** @param target HOST:PORT as the user gave it, or null */
    int run(String target) {
        out.println("tfo-agent " + AgentJar.version() + " doctor");
        String unsupported = Platform.unsupportedReason();
        report("platform", unsupported == null, unsupported == null ? "Linux " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", Java " + Runtime.version() : unsupported);
        if (unsupported != null) {
            return verdict();
        }
        checkJdkInternals();
        checkSysctl();
        checkListener();
        checkSelfTest();
        checkBlackhole();
        if (target != null) {
            checkDestination(target);
        }
        checkCounters();
        return verdict();
    }

    private void checkJdkInternals() {
        for (Map.Entry<String, String> c : SocketClassTransformer.of(true, true, AgentLog.toStderr()).dryRun().entrySet()) {
            report("jdk", c.getValue() == null, c.getKey() + (c.getValue() == null ? " can be instrumented"
                    : " cannot be instrumented: " + c.getValue()));
        }
    }

    private void checkSysctl() {
        try {
            sysctl = FastOpenSysctl.read();
            report("sysctl", sysctl.serverEnabled(), sysctl + " " + sysctl.describe() + (sysctl.serverEnabled()
                    ? " has the server bit 0x2" : " lacks the server bit 0x2; fix: " + bothBitsFix()));
            if (!sysctl.clientEnabled()) {
                out.println("  note      client TFO needs bit 0x1 of " + FastOpenSysctl.NAME);
            }
        } catch (Exception e) {
            report("sysctl", false, "cannot read " + FastOpenSysctl.NAME + ": " + e.getMessage());
        }
    }

    /** Does what the agent does to a listener, on a throwaway one, through the same shim. */
    private void checkListener() {
        if (inst == null) {
            report("listener", false, "no Instrumentation (run as java -jar tfo-agent.jar doctor)");
            return;
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            JdkAccess.open(inst);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int fd = SelfTest.fd(listener);
            LinuxSocket.setFastOpen(fd, 16);
            int qlen = LinuxSocket.fastOpenQueueLength(fd);
            report("listener", qlen == 16, "TCP_FASTOPEN set through JNA on a loopback listener, read back qlen "
                    + qlen);
        } catch (Throwable t) {
            report("listener", false, "cannot set TCP_FASTOPEN on a loopback listener: " + t);
        }
    }

    /** A listener and two connections on loopback: the second must carry its data in the SYN. */
    private void checkSelfTest() {
        if (inst == null) {
            report("selftest", false, "no Instrumentation (run as java -jar tfo-agent.jar doctor)");
            return;
        }
        try {
            JdkAccess.open(inst);
            SelfTest.Result result = SelfTest.run();
            report("selftest", result.passed(), "TFO exchange on loopback: " + result + (result.passed() ? ""
                    : "; fix: " + (sysctl != null && (!sysctl.clientEnabled() || !sysctl.serverEnabled())
                            ? bothBitsFix() : "look at TCPFastOpenBlackhole and the counters below")));
        } catch (Throwable t) {
            report("selftest", false, "cannot run the TFO exchange on loopback: " + t);
        }
    }

    /**
     * After a SYN with data went unanswered where a bare one was answered (a middlebox that drops
     * them), the kernel stops client TFO for {@code net.ipv4.tcp_fastopen_blackhole_timeout_sec} seconds, doubling with
     * each detection; TCPFastOpenBlackhole counts the detections.
     */
    private void checkBlackhole() {
        try {
            long detected = TcpExtCounters.read().get(TcpExtCounters.BLACKHOLE);
            String timeout = Files.exists(BLACKHOLE_TIMEOUT_PATH)
                    ? FastOpenSysctl.readProcSys(BLACKHOLE_TIMEOUT_PATH).strip() : "absent";
            String state = TcpExtCounters.BLACKHOLE + "=" + detected + ", " + BLACKHOLE_TIMEOUT + "=" + timeout;
            if (detected == 0) {
                report("blackhole", true, state + ": no SYN data was ever found dropped on a path from here");
            } else {
                out.println("  note      " + state + ": client TFO was paused after SYN data went unanswered"
                        + " (a middlebox); it resumes by itself; to turn the detection off: sysctl -w "
                        + BLACKHOLE_TIMEOUT + "=0");
            }
        } catch (Exception e) {
            report("blackhole", false, "cannot read the blackhole state: " + e.getMessage());
        }
    }

    /** doctor HOST:PORT: the kernel's cookie for it, or a probe that asks for one. */
    private void checkDestination(String target) {
        InetSocketAddress destination;
        try {
            destination = CookieProbe.parse(target);
        } catch (IOException e) {
            report("target", false, "cannot resolve " + target + ": " + e.getMessage());
            return;
        }
        if (destination == null) {
            report("target", false, target + " is not HOST:PORT (IPv6 as [ADDRESS]:PORT)");
            return;
        }
        String address = destination.getAddress().getHostAddress();
        if (sysctl != null && !sysctl.clientEnabled()) {
            report("client", false, sysctl + " lacks the client bit 0x1; fix: sysctl -w " + FastOpenSysctl.NAME + "="
                    + sysctl.with(LinuxConstants.TFO_CLIENT_ENABLE));
            return;
        }
        try {
            if (CookieProbe.cookieHeld(destination.getAddress())) {
                report("cookie", true, "the kernel holds a TFO cookie for " + address + " (ip tcp_metrics show):"
                        + " connections there can carry data in the SYN");
                return;
            }
            out.println("  cookie    none held for " + address + " yet; probing " + target);
            CookieProbe.probe(destination);
            boolean got = CookieProbe.cookieHeld(destination.getAddress());
            report("probe", got, got ? "a probe connection to " + target + " got a TFO cookie"
                    : "a probe connection to " + target + " got no TFO cookie; fix: on that server, sysctl -w "
                            + FastOpenSysctl.NAME + "=3 and TFO on its listener (run it with -javaagent:tfo-agent.jar),"
                            + " or let TCP option 34 through any middlebox on the way");
        } catch (IOException e) {
            report("probe", false, "cannot probe " + target + ": " + e.getMessage() + (e.getMessage() != null
                    && e.getMessage().startsWith("ip ") ? "; fix: install iproute2" : ""));
        }
    }

    private String bothBitsFix() {
        return "sysctl -w " + FastOpenSysctl.NAME + "="
                + sysctl.with(LinuxConstants.TFO_SERVER_ENABLE | LinuxConstants.TFO_CLIENT_ENABLE);
    }

    private void checkCounters() {
        try {
            TcpExtCounters counters = TcpExtCounters.read();
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Long> c : counters.all().entrySet()) {
                if (c.getKey().startsWith("TCPFastOpen")) {
                    line.append(' ').append(c.getKey()).append('=').append(c.getValue());
                }
            }
            out.println("  counters " + line + "  (this network namespace)");
        } catch (Exception e) {
            out.println("  counters  unreadable: " + e.getMessage());
        }
    }

    private void report(String what, boolean ok, String detail) {
        healthy &= ok;
        out.printf("  %-9s %s %s%n", what, ok ? "ok  " : "FAIL", detail);
    }

    private int verdict() {
        out.println(healthy ? "verdict: TFO works here" : "verdict: fix the FAIL lines above");
        return healthy ? 0 : 1;
    }
}
