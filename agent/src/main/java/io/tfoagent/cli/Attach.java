package io.tfoagent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;

/** Loads tfo-agent into a running JVM: listeners it already has get TFO at once. */
final class Attach {
    private static final int FIRST_WARNING_FEATURE = 21;

    private Attach() {}

    static int run(String pid, String options, PrintStream out, PrintStream err) {
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(AgentJar.path().getPath(), options);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("tfo-agent: cannot attach to " + pid + ": " + e.getMessage()
                    + " (same user as the target JVM? a JDK, not a JRE? -XX:+DisableAttachMechanism?)");
            return 1;
        }
        out.println("tfo-agent: attached to " + pid + "; its startup line is in that JVM's log");
        if (Runtime.version().feature() >= FIRST_WARNING_FEATURE) {
            out.println("tfo-agent: Java 21+ prints a warning in the target when an agent is loaded into it;"
                    + " start it with -XX:+EnableDynamicAgentLoading to say that is expected");
        }
        return 0;
    }
}
