package io.tfoagent.it.peers;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * An application's own {@code System.LoggerFinder} (SystemLoggerIT adds its service file to the
 * class path of that test's JVMs only): every logger prints what it gets on stdout, one line each,
 * {@code LOGGED <logger> <level> <thread>: <message>}, and every lookup prints {@code LOOKUP
 * <logger> <thread>}, so the test sees on which thread the agent looked its logger up.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
    public static final String LOGGED = "LOGGED ";
    public static final String LOOKUP = "LOOKUP ";

    @Override
    public System.Logger getLogger(String name, Module module) {
        System.out.println(LOOKUP + name + " " + Thread.currentThread().getName());
        return new Recording(name);
    }

    private static final class Recording implements System.Logger {
        private final String name;

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                System.out.println(LOGGED + name + " " + level + " " + Thread.currentThread().getName() + ": " + message);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    (Throwable) null);
        }
    }
}
