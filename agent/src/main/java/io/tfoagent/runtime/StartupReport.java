package io.tfoagent.runtime;

import io.tfoagent.core.options.AgentOptions;
import io.tfoagent.shim.FastOpenSysctl;
import io.tfoagent.shim.LinuxConstants;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The startup line (what runs where, and what is on) and the warnings that tell the
 * operator the exact fix when the namespace's sysctl makes an option do nothing.
 */
final class StartupReport {
    static final String VERSION = versionOf(StartupReport.class.getPackage());

    private final AgentOptions options;
    private final FastOpenSysctl sysctl;
    private final String sysctlProblem;

    private StartupReport(AgentOptions options, FastOpenSysctl sysctl, String sysctlProblem) {
        this.options = options;
        this.sysctl = sysctl;
        this.sysctlProblem = sysctlProblem;
    }

    static StartupReport probe(AgentOptions options) {
        try {
            return new StartupReport(options, FastOpenSysctl.read(), null);
        } catch (IOException e) {
            return new StartupReport(options, null, e.getMessage());
        }
    }

    private static String versionOf(Package p) {
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "dev" : v;
    }

    String line() {
        String server = options.server()
                ? "server TFO on listeners (qlen " + options.qlenDescription() + ")"
                        + options.listenerPolicy().describe()
                : "server TFO off (server=off)";
        String client = options.client()
                ? "client TFO to " + options.destinationPolicy().describe()
                : "client TFO off (no allow=)";
        return VERSION + " on Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), Linux "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + "; "
                + (sysctl == null ? FastOpenSysctl.NAME + " unreadable" : sysctl + " " + sysctl.describe()) + "; "
                + server + "; " + client
                + (options.dryRun() ? "; dry-run: counted, nothing changed on the wire" : "");
    }

    List<String> warnings() {
        List<String> lines = new ArrayList<>();
        if (sysctl == null) {
            lines.add("cannot read " + FastOpenSysctl.NAME + " (" + sysctlProblem + "); TFO may not work");
        } else {
            if (options.server() && !sysctl.serverEnabled()) {
                lines.add(missingBit("server", LinuxConstants.TFO_SERVER_ENABLE));
            }
            if (options.client() && !sysctl.clientEnabled()) {
                lines.add(missingBit("client", LinuxConstants.TFO_CLIENT_ENABLE));
            }
        }
        if (options.client() && Boolean.getBoolean("jdk.net.usePlainSocketImpl")) {
            lines.add("-Djdk.net.usePlainSocketImpl=true: java.net.Socket connections go without client TFO"
                    + " (SocketChannel and the clients built on it keep it)");
        }
        return lines;
    }

    /** No socket option can override the namespace's sysctl: say so, with the command that fixes it. */
    private String missingBit(String side, int bit) {
        return side + " TFO will do nothing: " + sysctl + " lacks the " + side + " bit 0x" + Integer.toHexString(bit)
                + "; fix: sysctl -w " + FastOpenSysctl.NAME + "=" + sysctl.with(bit)
                + " (per network namespace; persist it in /etc/sysctl.d/)";
    }
}
