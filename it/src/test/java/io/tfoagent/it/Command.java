package io.tfoagent.it;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a short command to its end within a timeout and keeps what it printed. */
final class Command {
    private static final Duration DRAIN = Duration.ofSeconds(5);

    record Result(String command, int exitCode, String stdout, String stderr) {
        Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException(command + " exited " + exitCode + ": " + stderr + stdout);
            }
            return this;
        }
    }

    private Command() {}

    static Result run(ProcessBuilder builder, Duration timeout) {
        String command = String.join(" ", builder.command());
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // commands that read stdin see its end at once
            StreamLines out = StreamLines.of(process.getInputStream(), "stdout of " + command);
            StreamLines err = StreamLines.of(process.getErrorStream(), "stderr of " + command);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            out.awaitEnd(DRAIN);
            err.awaitEnd(DRAIN);
            return new Result(command, process.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
