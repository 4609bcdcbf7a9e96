package io.tfoagent.cli;

import java.io.File;
import java.net.URISyntaxException;

/** Facts about the tfo-agent.jar this code runs from. */
final class AgentJar {
    private AgentJar() {}

    static String version() {
        String v = AgentJar.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static File path() throws URISyntaxException {
        return new File(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
