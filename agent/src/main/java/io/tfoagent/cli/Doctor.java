package io.tfoagent.cli;

import io.tfoagent.advice.SocketClassTransformer;
import io.tfoagent.bridge.JdkAccess;
import io.tfoagent.core.AgentLog;
import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.Platform;
import io.tfoagent.shim.TcpExtCounters;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import sun.nio.ch.IOUtil;
import sun.nio.ch.SelChImpl;

/**
 * {@code java -jar tfo-agent.jar doctor}: checks, on this host and JDK, everything the
 * agent depends on, and prints the fix for what is missing. Exit status 0 when server TFO
 * will work here, 1 when it will not.
 */
final class Doctor {
    private final Instrumentation inst;
    private final PrintStream out;
    private boolean healthy = true;

    Doctor(Instrumentation inst, PrintStream out) {
        this.inst = inst;
        this.out = out;
    }

    int run() {
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
            FastOpenSysctl sysctl = FastOpenSysctl.read();
            report("sysctl", sysctl.serverEnabled(), sysctl + " " + sysctl.describe() + (sysctl.serverEnabled() ? " has the server bit 0x2"
                    : " lacks the server bit 0x2; fix: sysctl -w " + FastOpenSysctl.NAME + "="
                            + sysctl.with(LinuxConstants.TFO_SERVER_ENABLE | LinuxConstants.TFO_CLIENT_ENABLE)));
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
            int fd = IOUtil.fdVal(((SelChImpl) listener).getFD());
            LinuxSocket.setFastOpen(fd, 16);
            int qlen = LinuxSocket.fastOpenQueueLength(fd);
            report("listener", qlen == 16, "TCP_FASTOPEN set through JNA on a loopback listener, read back qlen "
                    + qlen);
        } catch (Throwable t) {
            report("listener", false, "cannot set TCP_FASTOPEN on a loopback listener: " + t);
        }
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
        out.println(healthy ? "verdict: server TFO works here" : "verdict: fix the FAIL lines above");
        return healthy ? 0 : 1;
    }
}
