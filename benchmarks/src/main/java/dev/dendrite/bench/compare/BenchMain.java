package dev.dendrite.bench.compare;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dendrite bench ...}: the launcher hands {@code bench} commands to this module's classpath. */
@Command(name = "dendrite bench", mixinStandardHelpOptions = true,
        description = "Speed comparisons (JMH suites: benchmarks/run.sh).",
        subcommands = {CompareCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("dendrite bench: error: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }
}
