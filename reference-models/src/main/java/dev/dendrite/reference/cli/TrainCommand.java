package dev.dendrite.reference.cli;

import dev.dendrite.gan.GanEpochStats;
import dev.dendrite.gan.GanSpec;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.data.PixelScale;
import dev.dendrite.reference.gan.GanCharts;
import dev.dendrite.reference.gan.GanExperiment;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Datasets;
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
                + " seed, data), or a GAN described by a GAN spec (generator, discriminator, noise, loss, optimizers).")
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
        String name = specFile.getFileName().toString().replaceFirst("\\.json$", "");
        if (isGan(json)) {
            return trainGan(json, name);
        }
        TrainingSpec spec;
        try {
            spec = Json.read(json, TrainingSpec.class);
        } catch (DendriteException e) {
            throw new DendriteException(specFile + ": " + e.getMessage(), e);
        }
        spec = options.apply(spec);
        Experiment.Outcome o = new Experiment(name, "dendrite train " + specFile, spec, new double[0], null,
                options.data, options.out.resolve(name), options.resume).with(options.engine()).run(System.out);
        System.out.printf("%ntest accuracy %.4f (epoch %d, %s)%n", o.accuracy(), o.state().epoch(), o.data());
        return 0;
    }

    /** A spec with a "generator" is a {@link GanSpec}: trained on its dataset's images scaled to [−1, 1]. */
    private static boolean isGan(String json) {
        try {
            return Json.MAPPER.readTree(json).has("generator");
        } catch (IOException e) {
            return false; // the TrainingSpec parse names the syntax error
        }
    }

    private int trainGan(String json, String name) {
        GanSpec spec;
        try {
            spec = Json.read(json, GanSpec.class);
        } catch (DendriteException e) {
            throw new DendriteException(specFile + ": " + e.getMessage(), e);
        }
        if (options.validationSplit != null) {
            throw new DendriteException("--validation-split does not apply to a GAN spec");
        }
        if (options.seed != null) {
            spec = spec.withSeed(options.seed);
        }
        if (options.epochs != null) {
            spec = spec.withEpochs(options.epochs);
        }
        FashionMnist data = Datasets.load(spec.data(), options.data);
        System.out.println("data: " + data.description());
        Path out = options.out.resolve(name);
        GanExperiment.Result r = new GanExperiment(spec, out, options.resume, null, options.engine())
                .run(PixelScale.tanhImages(data.train()), System.out);
        GanEpochStats last = r.state().history().get(r.state().history().size() - 1);
        String onnx = "- `generator.onnx`: " + r.onnx().generator() + "\n- `discriminator.onnx`: "
                + r.onnx().discriminator() + "\n";
        GanCharts.writeLosses(out.resolve("curve.png"), r.losses());
        StudyReport.write(out.resolve("report.md"), "# " + name + " (GAN)\n\n![samples](samples.png)\n\n"
                + "![losses](curve.png)\n\n"
                + String.format("- After epoch %d: discriminator loss %.4f, generator loss %.4f (every epoch: "
                        + "`metrics.csv`)%n", last.epoch(), last.discriminatorLoss(), last.generatorLoss())
                + "- Data: " + data.description() + ", pixels scaled to [-1, 1]\n- Command: `dendrite train "
                + specFile + "`\n" + onnx);
        System.out.printf("%nepoch %d: D loss %.4f, G loss %.4f%n%swrote %s/report.md%n", last.epoch(),
                last.discriminatorLoss(), last.generatorLoss(), onnx, out);
        return 0;
    }
}
