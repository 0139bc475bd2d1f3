package dev.dendrite.reference.cli;

import dev.dendrite.tensor.DendriteException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dendrite}: the command line. Errors are one line on stderr and exit 1; {@code --verbose} adds the trace. */
@Command(name = "dendrite", mixinStandardHelpOptions = true, version = "Dendrite 0.1.0",
        description = "Train, reproduce and inspect neural networks.",
        subcommands = {PluginsCommand.class, ReproduceCommand.class, TrainCommand.class, ExportCommand.class,
            ValidateCommand.class, OnnxTestCommand.class, OnnxRunCommand.class, OnnxGradCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    @Option(names = "--verbose", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            boolean expected = e instanceof DendriteException || e instanceof java.io.UncheckedIOException;
            line.getErr().println("dendrite: error: " + (expected ? e.getMessage() : e));
            if (main.verbose || !expected) {
                e.printStackTrace(line.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }
}
