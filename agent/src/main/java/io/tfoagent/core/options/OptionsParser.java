package io.tfoagent.core.options;

import io.tfoagent.core.client.FirstWriteClassifier;
import io.tfoagent.core.policy.AddressPattern;
import io.tfoagent.core.policy.DestinationPolicy;
import io.tfoagent.core.policy.HostPattern;
import io.tfoagent.core.policy.ListenerPolicy;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code key=value,key=value,...} from the environment variable
 * {@value #ENVIRONMENT_VARIABLE} and from the {@code -javaagent:...=} string, in that
 * order: a later scalar wins, a repeated list key adds to the list. The first bad entry
 * is reported by name; nothing is half-applied.
 */
public final class OptionsParser {
    public static final String ENVIRONMENT_VARIABLE = "TFO_AGENT_OPTIONS";
    static final String KNOWN = "server, qlen, server-allow, server-deny, allow, deny, trust, safe-method,"
            + " idle-open-ms, cache-dir, log, strict";
    private static final int MAX_IDLE_OPEN_MS = 1000;
    private static final int MAX_QLEN = 65535;

    private boolean server = true;
    private int qlen = AgentOptions.QLEN_FROM_BACKLOG;
    private final List<AddressPattern> serverAllow = new ArrayList<>();
    private final List<AddressPattern> serverDeny = new ArrayList<>();
    private final List<HostPattern> allow = new ArrayList<>();
    private final List<HostPattern> deny = new ArrayList<>();
    private final List<HostPattern> trust = new ArrayList<>();
    private final Set<String> safeMethods = new LinkedHashSet<>();
    private int idleOpenMillis = AgentOptions.DEFAULT_IDLE_OPEN_MS;
    private Path cacheDir = defaultCacheDir();
    private LogTarget log = LogTarget.STDERR;
    private boolean strict;

    private OptionsParser() {}

    /** {@code $XDG_CACHE_HOME/tfo-agent}, else {@code ~/.cache/tfo-agent}. */
    private static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && xdg.startsWith("/") ? Paths.get(xdg, "tfo-agent")
                : Paths.get(System.getProperty("user.home", "/nonexistent"), ".cache", "tfo-agent");
    }

    public static AgentOptions parse(String environment, String agentArguments) throws OptionException {
        // Commas separate entries; so do line breaks, which multi-line environment values bring.
        String[] entries = join(environment, agentArguments).split("[,\\r\\n]");
        OptionsParser parser = new OptionsParser();
        // strict decides what a bad option does, so its last value is known before anything can fail.
        for (String entry : entries) {
            String[] kv = entry.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("strict")) {
                parser.strict = kv[1].trim().equalsIgnoreCase("true");
            }
        }
        for (String entry : entries) {
            if (!entry.isBlank()) {
                parser.apply(entry.trim());
            }
        }
        return new AgentOptions(parser.server, parser.qlen, new ListenerPolicy(parser.serverAllow, parser.serverDeny),
                new DestinationPolicy(parser.allow, parser.deny, parser.trust),
                parser.safeMethods.isEmpty() ? FirstWriteClassifier.DEFAULT_HTTP_METHODS : Set.copyOf(parser.safeMethods),
                parser.idleOpenMillis, parser.cacheDir, parser.log, parser.strict);
    }

    private static String join(String environment, String agentArguments) {
        String env = environment == null ? "" : environment;
        String args = agentArguments == null ? "" : agentArguments;
        return env.isBlank() ? args : args.isBlank() ? env : env + "," + args;
    }

    private void apply(String entry) throws OptionException {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            throw bad("option '" + entry + "' has no value (write " + entry + "=VALUE; known options: " + KNOWN + ")");
        }
        String key = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = entry.substring(eq + 1).trim();
        if (value.isEmpty()) {
            throw bad("option '" + key + "' needs a value");
        }
        switch (key) {
            case "server":
                server = onOff(key, value);
                break;
            case "qlen":
                qlen = wholeNumber(key, value, 1, MAX_QLEN);
                break;
            case "server-allow":
                serverAllow.add(address(key, value));
                break;
            case "server-deny":
                serverDeny.add(address(key, value));
                break;
            case "allow":
                allow.add(destination(key, value));
                break;
            case "deny":
                deny.add(destination(key, value));
                break;
            case "trust":
                trust.add(destination(key, value));
                break;
            case "safe-method":
                safeMethods.add(httpMethod(value));
                break;
            case "idle-open-ms":
                idleOpenMillis = wholeNumber(key, value, 1, MAX_IDLE_OPEN_MS);
                break;
            case "cache-dir":
                cacheDir = value.equalsIgnoreCase("off") ? null : absolutePath(key, value);
                break;
            case "log":
                log = logTarget(value);
                break;
            case "strict":
                strict = trueFalse(key, value);
                break;
            default:
                throw bad("unknown option '" + key + "' (known: " + KNOWN + ")");
        }
    }

    private boolean onOff(String key, String value) throws OptionException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
                return true;
            case "off":
            case "false":
                return false;
            default:
                throw bad("option '" + key + "=" + value + "': expected on or off");
        }
    }

    private boolean trueFalse(String key, String value) throws OptionException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw bad("option '" + key + "=" + value + "': expected true or false");
        }
    }

    private int wholeNumber(String key, String value, int min, int max) throws OptionException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw bad("option '" + key + "=" + value + "': expected a whole number from " + min + " to " + max);
    }

    private AddressPattern address(String key, String value) throws OptionException {
        try {
            return AddressPattern.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad("option '" + key + "=" + value + "': " + e.getMessage());
        }
    }

    private HostPattern destination(String key, String value) throws OptionException {
        try {
            return HostPattern.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad("option '" + key + "=" + value + "': " + e.getMessage());
        }
    }

    /** An HTTP method token (RFC 9110: tchar), case-sensitive as methods are. */
    private String httpMethod(String value) throws OptionException {
        if (!value.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw bad("option 'safe-method=" + value + "': expected one HTTP method such as GET (repeat the option"
                    + " for more)");
        }
        return value;
    }

    private Path absolutePath(String key, String value) throws OptionException {
        if (!value.startsWith("/")) {
            throw bad("option '" + key + "=" + value + "': expected an absolute path, or off");
        }
        return Paths.get(value);
    }

    private LogTarget logTarget(String value) throws OptionException {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("stderr")) {
            return LogTarget.STDERR;
        }
        if (lower.equals("off")) {
            return LogTarget.OFF;
        }
        if (lower.startsWith("file:") && value.length() > "file:".length()) {
            return LogTarget.file(Paths.get(value.substring("file:".length())));
        }
        throw bad("option 'log=" + value + "': expected stderr, off or file:PATH");
    }

    private OptionException bad(String message) {
        return new OptionException(message, strict);
    }
}
