package dev.dendrite.reference.sequence;

import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The char-lstm study's files: report.md, curve.png, metrics.csv and model.onnx. */
final class CharLstmReport {
    /** Everything the report states, gathered by the study. */
    record Outputs(CharCorpus corpus, double alpha, double bigramBits, List<CharLstmStudy.Epoch> history,
            String sample, double trainSeconds, double totalSeconds, int epochs, CharLstmStudy.Config config) {}

    private CharLstmReport() {}

    /**
     * model.onnx (ids [batch, 16] to logits), validated in ONNX Runtime: the agreement line plus the graph's op
     * types, or "export failed: ...".
     */
    static String export(Layer model, Path file) {
        try {
            Tensor example = Tensor.of(Nd4j.zeros(DataType.INT64, 2, 16));
            ModelProto proto = OnnxExporter.export(model, OnnxExporter.DEFAULT_OPSET, example);
            Set<String> ops = SequenceReports.opTypes(proto);
            return OnnxExport.describe(OnnxExport.writeAndValidate(model, proto, file)) + "; ONNX ops: "
                    + String.join(", ", ops) + (ops.contains("LSTM") ? " (the recurrence is one ONNX LSTM node)"
                            : " (NO ONNX LSTM node: the recurrence was unrolled)");
        } catch (DendriteException e) {
            return "export failed: " + e.getMessage();
        }
    }

    static void write(Study.Context c, Outputs o, String onnx) {
        List<CharLstmStudy.Epoch> h = o.history();
        CharLstmStudy.Epoch last = h.get(h.size() - 1);
        CharCorpus corpus = o.corpus();
        List<String> rows = new ArrayList<>();
        h.forEach(e -> rows.add(SequenceReports.fmt("%d,%.6f,%.6f,%.6f,%.3f", e.epoch(), e.trainBits(),
                e.heldOutBits(), o.bigramBits(), e.seconds())));
        SequenceReports.writeCsv(c.out().resolve("metrics.csv"),
                "epoch,train_bpc,heldout_bpc,bigram_heldout_bpc,seconds", rows);
        chart(c.out().resolve("curve.png"), h, o.bigramBits());

        double gain = o.bigramBits() - last.heldOutBits();
        StringBuilder md = new StringBuilder("# Character LSTM language model (Graves 2013) vs a bigram\n\n");
        md.append("Graves (2013, §2–3) trains LSTM networks to predict text one character at a time and reports bits "
                + "per character on held-out text. Here a small character LSTM is trained on a ~35 KB text and "
                + "compared with a smoothed character-bigram model on the same held-out characters.\n\n");
        md.append("| model | held-out bits per character |\n|---|---|\n");
        md.append(SequenceReports.fmt("| character bigram, additive smoothing α = %s | %.4f |%n", o.alpha(),
                o.bigramBits()));
        md.append(SequenceReports.fmt("| character LSTM, after %d epochs | **%.4f** |%n", o.epochs(),
                last.heldOutBits()));
        md.append(SequenceReports.fmt("| difference (bigram − LSTM) | **%.4f** (target ≥ %.1f: %s) |%n%n", gain,
                CharLstmStudy.TARGET_GAIN, gain >= CharLstmStudy.TARGET_GAIN ? "met" : "not met"));
        md.append(SequenceReports.fmt("Both are scored on the same %d held-out characters.%n%n",
                corpus.heldOutLength()));
        md.append("![bits per character per epoch](curve.png)\n\n");
        md.append("| epoch | train bpc (during the epoch, dropout on) | held-out bpc | seconds |\n|---|---|---|---|\n");
        h.forEach(e -> md.append(SequenceReports.fmt("| %d | %.4f | %.4f | %.1f |%n", e.epoch(), e.trainBits(),
                e.heldOutBits(), e.seconds())));
        md.append(SequenceReports.fmt("%nSample: %d characters drawn at temperature %.1f after the prompt \"%s\" "
                + "(seeded):%n%n```%n%s%s%n```%n%n", CharLstmStudy.SAMPLE_LENGTH, CharLstmStudy.TEMPERATURE,
                CharLstmStudy.PROMPT, CharLstmStudy.PROMPT, o.sample()));
        md.append("## Method\n\n");
        md.append(SequenceReports.fmt("- Text: %s, %d characters; the first %d (%.0f%%) train, the last %d are held "
                + "out (contiguous). Vocabulary: the %d distinct characters of the whole text (%d of them only in the "
                + "held-out part), so every held-out character has an id and a non-zero probability under both "
                + "models.%n", corpus.description(), corpus.length(), corpus.trainEnd(),
                100 * CharCorpus.TRAIN_FRACTION, corpus.heldOutLength(), corpus.vocabularySize(), corpus.heldOutOnlyCharacters()));
        md.append(SequenceReports.fmt("- Bigram: p(b | a) = (n(ab) + α) / (n(a) + αV), counts from the training part. "
                + "α = %s was chosen from %s by the bits per character on the last %.0f%% of the training part with "
                + "counts from the rest; the held-out part was not consulted. Held-out bpc = −(1/n) Σ log2 p(c_t | "
                + "c_{t−1}), the first held-out character predicted from the last training one.%n", o.alpha(),
                Arrays.toString(BigramModel.ALPHAS), 100 * CharLstmStudy.ALPHA_SLICE));
        md.append("- LSTM: " + o.config().describe() + SequenceReports.fmt(
                ", %d epochs (an epoch is one pass over the training text). The training streams start at a random "
                + "shift each epoch; the state is carried from window to window within an epoch and detached "
                + "between them.%n", o.epochs()));
        md.append(SequenceReports.fmt("- LSTM held-out bpc: the model reads the last %d training characters from a "
                + "zero state, then predicts each held-out character from everything before it (state carried, "
                + "%d characters per call), dropout off; the mean of −log2 p over the same held-out characters as "
                + "the bigram's. No early stopping: the figure is the last epoch's.%n", CharLstmStudy.WARMUP,
                CharLstmStudy.EVAL_CHUNK));
        md.append("- What differs from Graves (2013): a far smaller text (his Penn Treebank and Wikipedia runs used "
                + "millions of characters), one LSTM layer without peepholes or skip connections (PyTorch's LSTM "
                + "cell), Adam instead of RMSProp with momentum, dropout on the non-recurrent connections instead "
                + "of weight noise; and a short run of 10 epochs, by which the held-out curve has flattened.\n");
        md.append(SequenceReports.provenance(c, "char-lstm", SequenceReports.fmt("%s, %d characters",
                corpus.description(), corpus.length())));
        md.append(SequenceReports.fmt("- Time: %.1f s of training (%.2f s per epoch), %.1f s for the whole run "
                + "(bigram, training, evaluation, sampling, export).%n", o.trainSeconds(),
                o.trainSeconds() / o.epochs(), o.totalSeconds()));
        md.append("- ONNX: `model.onnx` (character ids [batch, time] to logits [batch, time, " + corpus.vocabularySize()
                + "]), re-imported and run against ONNX Runtime: ").append(onnx).append('\n');
        StudyReport.write(c.out().resolve("report.md"), md.toString());
    }

    private static void chart(Path file, List<CharLstmStudy.Epoch> h, double bigram) {
        double[] x = h.stream().mapToDouble(CharLstmStudy.Epoch::epoch).toArray();
        XYChart chart = new XYChartBuilder().width(Charts.W).height(Charts.H).title("bits per character")
                .xAxisTitle("epoch").yAxisTitle("bits per character").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries("LSTM, held-out", x, h.stream().mapToDouble(CharLstmStudy.Epoch::heldOutBits).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("LSTM, train (during the epoch)", x,
                h.stream().mapToDouble(CharLstmStudy.Epoch::trainBits).toArray()).setMarker(SeriesMarkers.DIAMOND);
        double[] line = new double[x.length];
        Arrays.fill(line, bigram);
        chart.addSeries("bigram, held-out", x, line).setMarker(SeriesMarkers.NONE);
        Charts.write(file, List.of(chart));
    }
}
