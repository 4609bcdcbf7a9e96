package io.tfoagent.core.options;

import io.tfoagent.core.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The options in effect after every source was merged, as the one line the agent prints at its
 * start: each key given (and accepted) once, sorted; a single-valued key with the value that won,
 * a list key with all its values in the order they came; every value quoted and bounded by
 * {@link Printable#quote}, a secret key's value masked ({@link SecretKeys}).
 */
final class EffectiveOptions {
    /** The keys that add a value each time they are given, from any source, instead of replacing it. */
    static final Set<String> LIST_KEYS = Set.of("server-allow", "server-deny", "allow", "deny", "trust", "safe-method");
    /** Entries named in the line; the rest are counted, so that 10,000 allow= entries still make a short line. */
    static final int MAX_SHOWN = 24;

    private final Map<String, List<String>> values = new TreeMap<>();

    /** An entry {@code key=value} was accepted: after every entry before it, from an earlier or the same source. */
    void accepted(String key, String value) {
        List<String> list = values.computeIfAbsent(key, k -> new ArrayList<>());
        if (!LIST_KEYS.contains(key)) {
            list.clear();
        }
        list.add(value);
    }

    /** "allow='198.18.0.0/15' allow='[2001:2::/48]' dry-run='true'", or "none given (all at their defaults)". */
    String line() {
        if (values.isEmpty()) {
            return "none given (all at their defaults)";
        }
        StringBuilder out = new StringBuilder();
        int entries = 0;
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            for (String value : e.getValue()) {
                if (entries++ < MAX_SHOWN) {
                    out.append(out.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                            .append(SecretKeys.isSecret(e.getKey()) ? SecretKeys.MASK : Printable.quote(value));
                }
            }
        }
        if (entries > MAX_SHOWN) {
            out.append(" and ").append(entries - MAX_SHOWN).append(" more entries");
        }
        return out.append(" (the rest at their defaults)").toString();
    }
}
