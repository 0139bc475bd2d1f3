package dev.dendrite.reference.run;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.report.CurvePlot;
import dev.dendrite.reference.report.ProgressBarListener;
import dev.dendrite.reference.report.Report;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.Checkpoint;
import dev.dendrite.train.CheckpointWriter;
import dev.dendrite.train.MetricsCsv;
import dev.dendrite.train.Runs;
import dev.dendrite.train.Trainer;
import dev.dendrite.train.TrainingDivergedException;
import dev.dendrite.train.TrainingListener;
import dev.dendrite.train.TrainingModule;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingSpec;
import dev.dendrite.train.TrainingState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run from the command line, fresh or resumed, with everything it writes to the out dir:
 * metrics.csv, checkpoint.zip (after every epoch), curve.png, model.onnx (validated in ONNX Runtime) and
 * report.md.
 *
 * @param paperAccuracy the published figure (one value or a band), empty when there is none
 * @param listeners run-specific listeners besides progress, metrics and checkpoints (e.g. a data-dependent
 *     initialisation at the start of a fresh run)
 */
public record Experiment(String title, String command, TrainingSpec spec, double[] paperAccuracy, String paperSource,
        Path dataDir, Path out, Path resume, List<TrainingListener> listeners, EngineOptions engine) {

    public Experiment(String title, String command, TrainingSpec spec, double[] paperAccuracy, String paperSource,
            Path dataDir, Path out, Path resume, List<TrainingListener> listeners) {
        this(title, command, spec, paperAccuracy, paperSource, dataDir, out, resume, listeners, EngineOptions.DEFAULT);
    }

    public Experiment(String title, String command, TrainingSpec spec, double[] paperAccuracy, String paperSource,
            Path dataDir, Path out, Path resume) {
        this(title, command, spec, paperAccuracy, paperSource, dataDir, out, resume, List.of());
    }

    /** The same run with other engine options ({@code --eager}, {@code --explain-plan}). */
    public Experiment with(EngineOptions options) {
        return new Experiment(title, command, spec, paperAccuracy, paperSource, dataDir, out, resume, listeners,
                options);
    }

    /** What the run reached. */
    public record Outcome(TrainingState state, String data) {
        public double accuracy() {
            return state.history().isEmpty() ? Double.NaN
                    : state.history().get(state.history().size() - 1).testAccuracy();
        }

        /** Training time summed over the epochs (evaluation excluded). */
        public double seconds() {
            return state.history().stream().mapToDouble(dev.dendrite.train.EpochStats::seconds).sum();
        }
    }

    public Outcome run(PrintStream console) {
        FashionMnist data = Datasets.load(spec.data(), dataDir);
        console.println("data: " + data.description());
        return run(data, console);
    }

    /** As {@link #run(PrintStream)} on data already loaded (a study running several models shares it). */
    public Outcome run(FashionMnist data, PrintStream console) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new DendriteException(out + ": cannot create the output directory: " + e.getMessage(), e);
        }
        Path checkpoint = out.resolve("checkpoint.zip");
        List<TrainingListener> all = new ArrayList<>(List.of(new ProgressBarListener(console),
                new MetricsCsv(out.resolve("metrics.csv")), new CheckpointWriter(checkpoint)));
        all.addAll(listeners);
        Injector injector = Guice.createInjector(new DendriteModule(engine.settings(spec.seed())),
                new TrainingModule(all.toArray(TrainingListener[]::new)));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Registries registries = injector.getInstance(Registries.class);
        TrainingRun run;
        if (resume != null) {
            Checkpoint ck = Checkpoint.read(resume);
            console.println("resuming " + resume + " after epoch " + ck.state().epoch());
            run = Runs.resume(ck, spec.epochs(), ctx, registries, data.train(), data.test());
        } else {
            run = Runs.fresh(spec, ctx, registries, data.train(), data.test());
        }
        Trainer.Result result;
        try {
            result = injector.getInstance(Trainer.class).fit(run);
        } catch (TrainingDivergedException e) {
            throw new DendriteException(e.getMessage() + (Files.exists(checkpoint) ? "; the last good checkpoint is "
                    + checkpoint : ""), e);
        }
        TrainingState state = result.state();
        if (engine.explainPlan()) {
            console.print("plan: " + result.plan());
        }
        CurvePlot.write(out.resolve("curve.png"), title, state.history(), paperAccuracy);
        String onnx = exportOnnx(run);
        console.println("onnx: " + onnx);
        Report.write(out.resolve("report.md"), title, command, paperAccuracy, paperSource, data.description(),
                run.spec(), state, result.stopReason(), onnx);
        console.println("wrote " + out + "/{metrics.csv,curve.png,checkpoint.zip,model.onnx,report.md}");
        return new Outcome(state, data.description());
    }

    /** Writes model.onnx and checks it in ONNX Runtime; a failure is reported, never fatal to the finished run. */
    private String exportOnnx(TrainingRun run) {
        try {
            ModelProto proto = OnnxExport.export(run.model().layer(), run.spec(), OnnxExporter.DEFAULT_OPSET);
            return "`model.onnx` (opset " + OnnxExporter.DEFAULT_OPSET + "), Dendrite vs ONNX Runtime on random "
                    + "inputs: " + OnnxExport.describe(OnnxExport.writeAndValidate(run.model().layer(), proto,
                            out.resolve("model.onnx")));
        } catch (DendriteException e) {
            return "export failed: " + e.getMessage();
        }
    }
}
