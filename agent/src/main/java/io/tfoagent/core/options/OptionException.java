package io.tfoagent.core.options;

/**
 * Why one entry of the options was rejected, in words that say what the option accepts;
 * {@link OptionsParser} adds which entry it was and keeps going with the next one.
 */
final class OptionException extends Exception {
    private static final long serialVersionUID = 1L;

    OptionException(String reason) {
        super(reason, null, false, false);
    }
}
