package io.tfoagent.core;

/**
 * Text from outside the agent (option values, paths, what an exception says about them) made
 * safe for one log line: control and other invisible characters are escaped, and a value from
 * the user is cut short. An option value can be anything an environment variable can hold: a
 * 100 KB value, a newline that forges a second {@code tfo-agent:} line, an ESC that drives the
 * operator's terminal, a right-to-left override that reorders what they read.
 *
 * <p>Backslashes are kept as they are, so escaping is idempotent: {@link AgentLog} applies
 * {@link #line} to every line it writes, including lines built from already quoted values.
 */
public final class Printable {
    /** How much of a value a message shows; enough to recognise any real host, path or number. */
    static final int MAX_SHOWN = 120;

    private Printable() {}

    /**
     * {@code 'value'} with invisible characters escaped, or its first {@value #MAX_SHOWN}
     * printable characters then {@code ...' (N chars)} when it is longer.
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 24).append('\'');
        int shown = escape(value, out, MAX_SHOWN);
        out.append('\'');
        if (shown < value.length()) {
            out.insert(out.length() - 1, "...").append(" (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    /** {@code text} with every invisible character escaped, whatever its length. */
    public static String line(String text) {
        StringBuilder out = new StringBuilder(text.length());
        escape(text, out, Integer.MAX_VALUE);
        return out.toString();
    }

    /** Appends {@code text} escaped until {@code out} grew by {@code budget}; returns how many chars of it were used. */
    private static int escape(String text, StringBuilder out, int budget) {
        int start = out.length();
        int i = 0;
        while (i < text.length() && out.length() - start < budget) {
            int c = text.codePointAt(i);
            switch (c) {
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (visible(c)) {
                        out.appendCodePoint(c);
                    } else {
                        // One \\uXXXX per UTF-16 unit, as Java writes it: unambiguous for any code point.
                        for (char unit : Character.toChars(c)) {
                            String hex = Integer.toHexString(unit);
                            out.append("\\u").append("0000", hex.length(), 4).append(hex);
                        }
                    }
            }
            i += Character.charCount(c);
        }
        return i;
    }

    /**
     * Whether a terminal shows {@code c} as itself: not a control (C0, DEL, C1), not a format
     * character (bidi overrides, zero-width joiners, BOM), not a line or paragraph separator, not
     * a lone surrogate, not unassigned or private.
     */
    private static boolean visible(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return false;
            default:
                return true;
        }
    }
}
