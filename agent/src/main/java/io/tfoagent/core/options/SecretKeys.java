package io.tfoagent.core.options;

import java.util.Locale;

/**
 * Which option values the agent never shows: those of any key containing {@code key} or
 * {@code secret} (server-key, and whatever key of that kind comes later), in the effective
 * options line and in the lines about rejected entries alike, whatever the entry's source.
 */
final class SecretKeys {
    static final String MASK = "***";

    private SecretKeys() {}

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("key") || lower.contains("secret");
    }

    /** {@code entry} as a line may show it: {@code key=***} for a secret key, else as written. */
    static String shown(String entry) {
        int eq = entry.indexOf('=');
        String key = eq < 0 ? entry : entry.substring(0, eq);
        if (!isSecret(key)) {
            return entry;
        }
        // Without '=', the whole entry may be the value someone meant to give a key.
        return eq < 0 ? MASK : key + "=" + MASK;
    }
}
