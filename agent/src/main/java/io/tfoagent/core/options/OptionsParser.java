package io.tfoagent.core.options;

import io.tfoagent.core.client.ClientTimings;
import io.tfoagent.core.Printable;
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
 * Parses the options from three sources, in this order: the file that {@code config=PATH}
 * names ({@link ConfigFile}), the environment variable {@value #ENVIRONMENT_VARIABLE}, the
 * {@code -javaagent:...=} string (both {@code key=value,key=value,...}). A later entry of a
 * single-valued key wins, whatever its source; a list key ({@link EffectiveOptions#LIST_KEYS})
 * adds each entry to its list. {@code config=} itself is read from the last two only.
 *
 * <p>Each entry stands alone: an entry that cannot be used (no {@code =}, an unknown key, a
 * value its option does not accept) is left out, as if it had not been written, with one
 * line in {@link AgentOptions#rejected()}; every other entry applies. Whether a rejected entry
 * stops the JVM ({@code strict=true}) is the caller's decision, so this never throws.
 */
public final class OptionsParser {
    public static final String ENVIRONMENT_VARIABLE = "TFO_AGENT_OPTIONS";
    static final String KNOWN = "server, qlen, server-allow, server-deny, allow, deny, trust, safe-method,"
            + " idle-open-ms, backoff-ms, backoff-max-ms, cache-dir, server-key, log, log-interval, strict, config,"
            + " dry-run";
    static final String CONFIG = "config";
    static final int MIN_QLEN = 1;
    static final int MAX_QLEN = 65535;
    static final int MIN_IDLE_OPEN_MS = 1;
    static final int MAX_IDLE_OPEN_MS = 1000;
    static final int MIN_BACKOFF_MS = 1;
    /** A day: a destination is probed again at least daily. */
    static final int MAX_BACKOFF_MS = 86_400_000;
    /** A day: a counters line at least daily when anything changed; 0 is "only at exit". */
    static final int MAX_LOG_INTERVAL_SECONDS = 86_400;
    /**
     * Rejected entries named one by one; the rest are counted in one more line, so that a
     * runaway value ("x,x,x,..." 100 KB long) cannot flood the log.
     */
    static final int MAX_NAMED_REJECTIONS = 20;

    private boolean server = true;
    private int qlen = AgentOptions.QLEN_FROM_BACKLOG;
    private final List<AddressPattern> serverAllow = new ArrayList<>();
    private final List<AddressPattern> serverDeny = new ArrayList<>();
    private final List<HostPattern> allow = new ArrayList<>();
    private final List<HostPattern> deny = new ArrayList<>();
    private final List<HostPattern> trust = new ArrayList<>();
    private final Set<String> safeMethods = new LinkedHashSet<>();
    private int idleOpenMillis = AgentOptions.DEFAULT_IDLE_OPEN_MS;
    private int backoffMillis = (int) ClientTimings.DEFAULT_BACKOFF_MILLIS;
    private int maxBackoffMillis = (int) ClientTimings.DEFAULT_MAX_BACKOFF_MILLIS;
    private final Path defaultCacheDir = defaultCacheDir();
    private Path cacheDir = defaultCacheDir;
    private Path serverKeyFile;
    private LogTarget log = LogTarget.STDERR;
    private int logIntervalSeconds = AgentOptions.DEFAULT_LOG_INTERVAL_SECONDS;
    private boolean strict;
    private boolean dryRun;
    private Path configFile;
    private final EffectiveOptions effective = new EffectiveOptions();
    private final List<String> rejected = new ArrayList<>();
    private int unnamedRejections;

    private OptionsParser() {}

    /** {@code $XDG_CACHE_HOME/tfo-agent}, else {@code ~/.cache/tfo-agent}. */
    private static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && xdg.startsWith("/") ? Paths.get(xdg, "tfo-agent")
                : Paths.get(System.getProperty("user.home", "/nonexistent"), ".cache", "tfo-agent");
    }

    public static AgentOptions parse(String environment, String agentArguments) {
        OptionsParser parser = new OptionsParser();
        List<String> given = new ArrayList<>();
        // Commas separate entries; so do line breaks, which multi-line environment values bring.
        for (String entry : join(environment, agentArguments).split("[,\\r\\n]")) {
            if (!entry.isBlank()) {
                given.add(entry.trim());
            }
        }
        // The file comes first, so its config= entries are read before any other entry applies.
        for (String entry : given) {
            if (keyOf(entry).equals(CONFIG)) {
                parser.applyOrReject("", entry);
            }
        }
        if (parser.configFile != null) {
            parser.applyFile(parser.configFile);
        }
        for (String entry : given) {
            if (!keyOf(entry).equals(CONFIG)) {
                parser.applyOrReject("", entry);
            }
        }
        if (parser.unnamedRejections > 0) {
            parser.rejected.add(parser.unnamedRejections + " more option entries rejected (only the first "
                    + MAX_NAMED_REJECTIONS + " are named)");
        }
        return new AgentOptions(parser.server, parser.qlen, new ListenerPolicy(parser.serverAllow, parser.serverDeny),
                new DestinationPolicy(parser.allow, parser.deny, parser.trust),
                parser.safeMethods.isEmpty() ? FirstWriteClassifier.DEFAULT_HTTP_METHODS : Set.copyOf(parser.safeMethods),
                new ClientTimings(parser.idleOpenMillis, parser.backoffMillis,
                        Math.max(parser.backoffMillis, parser.maxBackoffMillis)), parser.cacheDir, parser.serverKeyFile,
                parser.log, parser.logIntervalSeconds, parser.strict, parser.dryRun, parser.effective.line(),
                List.copyOf(parser.rejected));
    }

    private static String join(String environment, String agentArguments) {
        String env = environment == null ? "" : environment;
        String args = agentArguments == null ? "" : agentArguments;
        return env.isBlank() ? args : args.isBlank() ? env : env + "," + args;
    }

    /** The key of {@code entry}, trimmed and lower-case; the whole entry when it has no {@code =}. */
    private static String keyOf(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    }

    /** Every line of the file as an entry of its own; a file that cannot be read costs one line and only itself. */
    private void applyFile(Path file) {
        String name = "config " + Printable.quote(file.toString());
        List<ConfigFile.Line> lines;
        try {
            lines = ConfigFile.read(file);
        } catch (OptionException e) {
            reject(name + " " + e.getMessage() + "; no option was read from it");
            return;
        }
        for (ConfigFile.Line line : lines) {
            if (keyOf(line.text()).equals(CONFIG)) {
                reject(name + " line " + line.number() + ": option " + Printable.quote(line.text())
                        + " rejected: a config file cannot name another (give config= in " + ENVIRONMENT_VARIABLE
                        + " or the agent arguments)");
            } else {
                applyOrReject(name + " line " + line.number() + ": ", line.text());
            }
        }
    }

    /**
     * The one place an entry's problem becomes a line: where it came from ({@code source}, empty
     * for the environment and the agent arguments), the entry quoted (a secret key's value
     * masked), why, and the default its option keeps.
     */
    private void applyOrReject(String source, String entry) {
        int eq = entry.indexOf('=');
        String key = keyOf(entry);
        try {
            if (eq < 0) {
                throw new OptionException("has no value (write it as KEY=VALUE; known options: " + KNOWN + ")");
            }
            String value = entry.substring(eq + 1).trim();
            apply(key, value);
            effective.accepted(key, value);
        } catch (OptionException e) {
            reject(source + "option " + Printable.quote(SecretKeys.shown(entry)) + " rejected: " + e.getMessage()
                    + defaultOf(key));
        }
    }

    private void reject(String problem) {
        if (rejected.size() < MAX_NAMED_REJECTIONS) {
            rejected.add(problem);
        } else {
            unnamedRejections++;
        }
    }

    /** What a single-valued option stays at when its entry is rejected; nothing for list keys and unknown keys. */
    private String defaultOf(String key) {
        switch (key) {
            case "server":
                return " (default on)";
            case "qlen":
                return " (default: the listen backlog)";
            case "idle-open-ms":
                return " (default " + AgentOptions.DEFAULT_IDLE_OPEN_MS + ")";
            case "backoff-ms":
                return " (default " + ClientTimings.DEFAULT_BACKOFF_MILLIS + ")";
            case "backoff-max-ms":
                return " (default " + ClientTimings.DEFAULT_MAX_BACKOFF_MILLIS + ")";
            case "cache-dir":
                return " (default " + Printable.quote(defaultCacheDir.toString()) + ")";
            case "server-key":
                return " (default: the kernel's key)";
            case "log":
                return " (default stderr)";
            case "log-interval":
                return " (default " + AgentOptions.DEFAULT_LOG_INTERVAL_SECONDS + ")";
            case "strict":
            case "dry-run":
                return " (default false)";
            case CONFIG:
                return " (default: no file)";
            default:
                return "";
        }
    }

    private void apply(String key, String value) throws OptionException {
        if (key.isEmpty()) {
            throw new OptionException("has no key (known options: " + KNOWN + ")");
        }
        if (value.isEmpty()) {
            throw new OptionException("needs a value");
        }
        switch (key) {
            case "server":
                server = onOff(value);
                break;
            case "qlen":
                qlen = wholeNumber(value, MIN_QLEN, MAX_QLEN);
                break;
            case "server-allow":
                serverAllow.add(address(value));
                break;
            case "server-deny":
                serverDeny.add(address(value));
                break;
            case "allow":
                allow.add(destination(value));
                break;
            case "deny":
                deny.add(destination(value));
                break;
            case "trust":
                trust.add(destination(value));
                break;
            case "safe-method":
                safeMethods.add(httpMethod(value));
                break;
            case "idle-open-ms":
                idleOpenMillis = wholeNumber(value, MIN_IDLE_OPEN_MS, MAX_IDLE_OPEN_MS);
                break;
            case "backoff-ms":
                backoffMillis = wholeNumber(value, MIN_BACKOFF_MS, MAX_BACKOFF_MS);
                break;
            case "backoff-max-ms":
                maxBackoffMillis = wholeNumber(value, MIN_BACKOFF_MS, MAX_BACKOFF_MS);
                break;
            case "cache-dir":
                cacheDir = value.equalsIgnoreCase("off") ? null : absolutePath(value, "expected an absolute path, or off");
                break;
            case "server-key":
                serverKeyFile = keyFile(value);
                break;
            case "log":
                log = logTarget(value);
                break;
            case "log-interval":
                logIntervalSeconds = wholeNumber(value, 0, MAX_LOG_INTERVAL_SECONDS);
                break;
            case "strict":
                strict = trueFalse(value);
                break;
            case "dry-run":
                dryRun = trueFalse(value);
                break;
            case CONFIG:
                configFile = absolutePath(value, "expected the absolute path of a file of key=value lines");
                break;
            default:
                throw new OptionException("unknown key (known: " + KNOWN + ")");
        }
    }

    private static boolean onOff(String value) throws OptionException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
                return true;
            case "off":
            case "false":
                return false;
            default:
                throw new OptionException("expected on or off");
        }
    }

    private static boolean trueFalse(String value) throws OptionException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new OptionException("expected true or false");
        }
    }

    /**
     * ASCII digits only: Integer.parseInt would also take a sign and any Unicode digit
     * ({@code qlen=５}, Arabic-Indic {@code ٥}), which no operator means and a log cannot show.
     */
    private static int wholeNumber(String value, int min, int max) throws OptionException {
        long n = 0;
        for (int i = 0; i < value.length() && n <= max; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                n = -1;
                break;
            }
            n = n * 10 + (c - '0');
        }
        if (n < min || n > max) {
            throw new OptionException("expected a whole number from " + min + " to " + max + " (ASCII digits)");
        }
        return (int) n;
    }

    private static AddressPattern address(String value) throws OptionException {
        try {
            return AddressPattern.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage());
        }
    }

    private static HostPattern destination(String value) throws OptionException {
        try {
            return HostPattern.parse(value);
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage());
        }
    }

    /** An HTTP method token (RFC 9110: tchar), case-sensitive as methods are. */
    private static String httpMethod(String value) throws OptionException {
        if (!value.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new OptionException("expected one HTTP method such as GET (repeat the option for more)");
        }
        return value;
    }

    private static Path absolutePath(String value, String expected) throws OptionException {
        if (!value.startsWith("/")) {
            throw new OptionException(expected);
        }
        return path(value);
    }

    /** {@code file:PATH}, absolute: the agent may run with another working directory than its operator's shell. */
    private static Path keyFile(String value) throws OptionException {
        if (!value.startsWith("file:/")) {
            throw new OptionException("expected file:PATH with an absolute path");
        }
        return path(value.substring("file:".length()));
    }

    private static LogTarget logTarget(String value) throws OptionException {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("stderr")) {
            return LogTarget.STDERR;
        }
        if (lower.equals("off")) {
            return LogTarget.OFF;
        }
        if (lower.equals("system-logger")) {
            return LogTarget.SYSTEM_LOGGER;
        }
        if (lower.startsWith("file:") && value.length() > "file:".length()) {
            return LogTarget.file(path(value.substring("file:".length())));
        }
        throw new OptionException("expected stderr, off, system-logger or file:PATH");
    }

    /** A path the file system can name: no NUL (InvalidPathException), which an environment value can hold. */
    private static Path path(String value) throws OptionException {
        try {
            return Paths.get(value);
        } catch (IllegalArgumentException e) {
            throw new OptionException("not a usable path");
        }
    }
}
