package dev.dendrite.reference.cli;

import dev.dendrite.reference.run.Experiment;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dendrite train SPEC.json}: trains any model written as a spec of provider ids and configs. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model described by a JSON spec (model, loss, optimizer, schedule, epochs, batchSize,"
                + " seed, data).")
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC.json", description = "The training spec.")
    Path specFile;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(specFile)) {
            throw new DendriteException(specFile + ": no such spec file");
        }
        String json;
        try {
            json = Files.readString(specFile);
        } catch (IOException e) {
            throw new DendriteException(specFile + ": cannot read the spec: " + e.getMessage(), e);
        }
        TrainingSpec spec;
        try {
            spec = Json.read(json, TrainingSpec.class);
        } catch (DendriteException e) {
            throw new DendriteException(specFile + ": " + e.getMessage(), e);
        }
        spec = options.apply(spec);
        String name = specFile.getFileName().toString().replaceFirst("\\.json$", "");
        Experiment.Outcome o = new Experiment(name, "dendrite train " + specFile, spec, new double[0], null,
                options.data, options.out.resolve(name), options.resume).run(System.out);
        System.out.printf("%ntest accuracy %.4f (epoch %d, %s)%n", o.accuracy(), o.state().epoch(), o.data());
        return 0;
    }
}
