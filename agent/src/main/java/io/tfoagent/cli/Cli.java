package io.tfoagent.cli;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;

/** {@code java -jar tfo-agent.jar doctor [HOST:PORT] | attach PID [OPTIONS] | status PID | version}. */
public final class Cli {
    private Cli() {}

    public static void main(String[] args, Instrumentation inst) throws Exception {
        System.exit(run(args, inst, System.out, System.err));
    }

    static int run(String[] args, Instrumentation inst, PrintStream out, PrintStream err) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "version":
                out.println("tfo-agent " + AgentJar.version());
                return 0;
            case "doctor":
                if (args.length > 2) {
                    err.println("usage: java -jar tfo-agent.jar doctor [HOST:PORT]");
                    return 2;
                }
                return new Doctor(inst, out).run(args.length == 2 ? args[1] : null);
            case "attach":
                if (args.length < 2 || args.length > 3) {
                    err.println("usage: java -jar tfo-agent.jar attach PID [OPTIONS]");
                    return 2;
                }
                return Attach.run(args[1], args.length == 3 ? args[2] : "", out, err);
            case "status":
                if (args.length != 2) {
                    err.println("usage: java -jar tfo-agent.jar status PID");
                    return 2;
                }
                return Status.run(args[1], out, err);
            default:
                err.println("usage: java -jar tfo-agent.jar doctor [HOST:PORT] | attach PID [OPTIONS] | status PID | version");
                err.println("  as an agent: java -javaagent:tfo-agent.jar[=OPTIONS] ...   (see README)");
                return 2;
        }
    }
}
