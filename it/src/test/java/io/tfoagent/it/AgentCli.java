package io.tfoagent.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The agent jar's command line, {@code java -jar tfo-agent.jar doctor | attach PID [OPTIONS] | version}, run to its end. */
final class AgentCli {
    /** Generous for a JVM start plus an attach handshake on a busy 2-core box; each run is far shorter. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private AgentCli() {}

    /** Runs the command with {@code jdk}'s java inside {@code ns} (namespaced sysctls and counters are that one's). */
    static Command.Result run(Jdk jdk, NetNs ns, String... args) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-jar", Agent.jar().toString()));
        command.addAll(List.of(args));
        return Command.run(ns.exec(command), TIMEOUT);
    }
}
