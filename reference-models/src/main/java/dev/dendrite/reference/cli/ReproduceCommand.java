package dev.dendrite.reference.cli;

import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.models.ReferenceModel;
import dev.dendrite.reference.models.ReferenceModels;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.run.Datasets;
import dev.dendrite.reference.run.Experiment;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.TrainingSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dendrite reproduce MODEL}: trains a paper's model and prints the paper's figure beside ours. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Train a reference model and compare with its published accuracy.")
final class ReproduceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The model to reproduce: lenet5, mlp, rff, elm, rbf-net, dcgan, deep-autoencoder, vae, "
            + "char-lstm, seq2seq-gru, vit-fashion.")
    String model;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        Optional<Study> study = ReferenceModels.study(model);
        if (study.isPresent()) {
            return runStudy(study.get());
        }
        ReferenceModel m = ReferenceModels.get(model);
        TrainingSpec spec = options.apply(m.spec());
        PrintStream console = System.out;
        console.println(m.title());
        Experiment.Outcome o = new Experiment(m.title(), "dendrite reproduce " + model, spec, m.paperAccuracy(),
                m.paperSource(), options.data, options.out.resolve(model), options.resume).with(options.engine())
                .run(console);
        console.printf("%n%-10s %s  (%s)%n", "paper", m.paperFigure(), m.paperSource());
        console.printf("%-10s %.4f  (epoch %d, %s)%n", "Dendrite", o.accuracy(), o.state().epoch(), o.data());
        return 0;
    }

    private int runStudy(Study s) {
        if ((options.resume != null && !s.resumable()) || options.validationSplit != null) {
            throw new DendriteException(s.name() + " is a study of several models: " + (s.resumable()
                    ? "--validation-split does" : "--resume and --validation-split do") + " not apply to it");
        }
        PrintStream console = System.out;
        console.println(s.title());
        FashionMnist data = null;
        if (s.usesFashionMnist()) {
            data = Datasets.load("fashion-mnist", options.data);
            console.println("data: " + data.description());
        }
        Path out = options.out.resolve(model);
        List<String> summary = s.run(new Study.Context(data, options.data, out,
                options.seed == null ? TrainingSpec.DEFAULT_SEED : options.seed, options.epochs, console,
                options.resume, options.engine()));
        console.println();
        summary.forEach(console::println);
        console.println("wrote " + out + "/report.md");
        return 0;
    }
}
