package io.tfoagent.it;

import java.time.Duration;
import java.util.List;

/** Debian's curl as the TFO client: a peer nobody here wrote. */
final class Curl {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Curl() {}

    /**
     * GETs {@code http://host:port/} from inside {@code ns} with {@code --tcp-fastopen}. Returns the
     * HTTP status, or what went wrong, so that a failed assertion on it says why.
     */
    static String get(NetNs ns, String host, int port) {
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        Command.Result result = Command.run(ns.exec(List.of("curl", "--tcp-fastopen", "--globoff", "--silent",
                "--show-error", "--max-time", "10", "--output", "/dev/null", "--write-out", "%{http_code}", url)),
                TIMEOUT);
        return result.exitCode() == 0 ? result.stdout() : "curl exit " + result.exitCode() + ": " + result.stderr();
    }
}
