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
        return VERSION + " on Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), Linux "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + "; "
                + (sysctl == null ? FastOpenSysctl.NAME + " unreadable" : sysctl + " " + bitsInWords()) + "; "
                + server;
    }

    private String bitsInWords() {
        if (sysctl.clientEnabled() && sysctl.serverEnabled()) {
            return "(client+server)";
        }
        return sysctl.clientEnabled() ? "(client only)" : sysctl.serverEnabled() ? "(server only)" : "(TFO off)";
    }

    List<String> warnings() {
        List<String> lines = new ArrayList<>();
        if (sysctl == null) {
            lines.add("cannot read " + FastOpenSysctl.NAME + " (" + sysctlProblem + "); TFO may not work");
        } else if (options.server() && !sysctl.serverEnabled()) {
            lines.add("server TFO will do nothing: " + sysctl + " lacks the server bit 0x2; fix: sysctl -w "
                    + FastOpenSysctl.NAME + "=" + sysctl.with(LinuxConstants.TFO_SERVER_ENABLE)
                    + " (per network namespace; persist it in /etc/sysctl.d/)");
        }
        return lines;
    }
}
