package dev.dendrite.reference.cli;

import dev.dendrite.reference.models.ReferenceModel;
import dev.dendrite.reference.models.ReferenceModels;
import dev.dendrite.reference.run.Experiment;
import dev.dendrite.train.TrainingSpec;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dendrite reproduce MODEL}: trains a paper's model and prints the paper's figure beside ours. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Train a reference model and compare with its published accuracy.")
final class ReproduceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The model to reproduce: lenet5, mlp.")
    String model;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        ReferenceModel m = ReferenceModels.get(model);
        TrainingSpec spec = options.apply(m.spec());
        PrintStream console = System.out;
        console.println(m.title());
        Experiment.Outcome o = new Experiment(m.title(), "dendrite reproduce " + model, spec, m.paperAccuracy(),
                m.paperSource(), options.data, options.out.resolve(model), options.resume).run(console);
        console.printf("%n%-10s %s  (%s)%n", "paper", m.paperFigure(), m.paperSource());
        console.printf("%-10s %.4f  (epoch %d, %s)%n", "Dendrite", o.accuracy(), o.state().epoch(), o.data());
        return 0;
    }
}
