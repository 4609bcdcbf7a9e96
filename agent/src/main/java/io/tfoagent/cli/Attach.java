package io.tfoagent.cli;

import com.sun.tools.attach.VirtualMachine;
import io.tfoagent.core.AgentLog;
import io.tfoagent.core.Printable;
import io.tfoagent.core.options.OptionsParser;
import java.io.PrintStream;
import java.util.List;

/** Loads tfo-agent into a running JVM: listeners it already has get TFO at once. */
final class Attach {
    private static final int FIRST_WARNING_FEATURE = 21;
    /** As for a usage error: what was typed is wrong, not the target. */
    private static final int BAD_OPTION = 2;

    private Attach() {}

    static int run(String pid, String options, PrintStream out, PrintStream err) {
        // Checked here, with the agent's own parser, so that a bad option is named to the operator
        // who typed it; in the target it could only cost a line in that JVM's log.
        List<String> rejected = OptionsParser.parse(null, options).rejected();
        if (!rejected.isEmpty()) {
            // One line per problem, the last saying what it cost.
            for (int i = 0; i < rejected.size(); i++) {
                err.println(AgentLog.PREFIX + Printable.line(rejected.get(i))
                        + (i == rejected.size() - 1 ? "; nothing was attached to " + Printable.quote(pid) : ""));
            }
            return BAD_OPTION;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (Exception e) {
            err.println("tfo-agent: cannot attach to " + pid + ": " + e.getMessage()
                    + " (same user as the target JVM? a JDK, not a JRE? -XX:+DisableAttachMechanism?)");
            return 1;
        }
        boolean targetWarns;
        try {
            try {
                targetWarns = warnsOnDynamicAgents(vm);
                vm.loadAgent(AgentJar.path().getPath(), options);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            // The attach itself worked, so the hints above would mislead.
            err.println("tfo-agent: attached to " + pid + ", but loading the agent there failed: " + e);
            return 1;
        }
        out.println("tfo-agent: attached to " + pid + "; its startup line is in that JVM's log");
        if (targetWarns) {
            out.println("tfo-agent: the target runs Java 21+, which prints a warning when an agent is loaded into"
                    + " it; start it with -XX:+EnableDynamicAgentLoading to say that is expected");
        }
        return 0;
    }

    /** JEP 451: Java 21+ warns about agents loaded into a running JVM unless it allowed them up front. */
    private static boolean warnsOnDynamicAgents(VirtualMachine vm) throws java.io.IOException {
        String version = vm.getSystemProperties().getProperty("java.specification.version", "0");
        String flags = vm.getAgentProperties().getProperty("sun.jvm.flags", "")
                + " " + vm.getAgentProperties().getProperty("sun.jvm.args", "");
        return Runtime.Version.parse(version).feature() >= FIRST_WARNING_FEATURE
                && !flags.contains("+EnableDynamicAgentLoading");
    }
}
