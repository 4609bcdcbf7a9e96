package io.tfoagent.core.options;

/** A bad agent option, with a message that names the option and what it accepts. */
public final class OptionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean strict;

    OptionException(String message, boolean strict) {
        super(message);
        this.strict = strict;
    }

    /** Whether the same options asked for {@code strict=true}: then a bad option stops the JVM. */
    public boolean strict() {
        return strict;
    }
}
