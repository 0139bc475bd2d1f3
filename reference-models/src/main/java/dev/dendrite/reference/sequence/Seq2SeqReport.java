package dev.dendrite.reference.sequence;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Init;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The seq2seq-gru study's files: report.md, curve.png, metrics.csv, encoder.onnx and decoder-step.onnx. */
final class Seq2SeqReport {
    static final int EXAMPLES = 10;

    record Outputs(DigitReversal.Splits data, List<Seq2SeqStudy.Epoch> history, ExactMatch score,
            List<int[]> predictions, double trainSeconds, double totalSeconds, int epochs,
            Seq2SeqStudy.Config config) {}

    private Seq2SeqReport() {}

    static String exportEncoder(Seq2SeqGru model, Path file) {
        return export(model.encoderModel(), file, Tensor.of(Nd4j.zeros(DataType.INT64, 2, 7)));
    }

    static String exportDecoderStep(Seq2SeqGru model, Path file) {
        Rng rng = new Rng(1);
        long h = model.hidden();
        return export(model.decoderStepModel(), file, Tensor.of(Nd4j.zeros(DataType.INT64, 2)),
                Tensor.of(Init.normal(rng, DataType.FLOAT, 0, 1, 2, h)),
                Tensor.of(Init.normal(rng, DataType.FLOAT, 0, 1, 2, h)));
    }

    private static String export(Layer part, Path file, Tensor... example) {
        try {
            ModelProto proto = OnnxExporter.export(part, OnnxExporter.DEFAULT_OPSET, example);
            return OnnxExport.describe(OnnxExport.writeAndValidate(part, proto, file)) + "; ONNX ops: "
                    + String.join(", ", SequenceReports.opTypes(proto));
        } catch (DendriteException e) {
            return "export failed: " + e.getMessage();
        }
    }

    static void write(Study.Context c, Outputs o, String encoderOnnx, String decoderOnnx) {
        List<Seq2SeqStudy.Epoch> h = o.history();
        ExactMatch s = o.score();
        List<String> rows = new ArrayList<>();
        h.forEach(e -> rows.add(SequenceReports.fmt("%.2f,%.6f,%.6f,%.6f,%.3f", e.epoch(), e.trainLoss(),
                e.heldOutExact(), e.heldOutTokens(), e.seconds())));
        SequenceReports.writeCsv(c.out().resolve("metrics.csv"),
                "epoch,train_loss,heldout_exact_match,heldout_token_accuracy,seconds", rows);
        chart(c.out().resolve("curve.png"), h);

        StringBuilder md = new StringBuilder("# GRU encoder–decoder (Cho et al. 2014) on digit-sequence reversal\n\n");
        md.append("Cho et al. (2014, §2) encode a variable-length sequence into one fixed vector c with a GRU and "
                + "decode another sequence from it with a second GRU. Here the task is synthetic: read 5–10 random "
                + "digits, emit them reversed, then EOS. The claim checked: a fixed-size summary is enough to "
                + "reproduce such a sequence exactly (held-out exact match ≥ 0.95).\n\n");
        md.append(SequenceReports.fmt("**Held-out exact match: %.4f** (%d of %d sequences, target ≥ %.2f: %s); token "
                + "accuracy %.4f; after %d epochs.%n%n", s.accuracy(), s.exact(), s.sequences(), Seq2SeqStudy.TARGET,
                s.accuracy() >= Seq2SeqStudy.TARGET ? "met" : "not met", s.tokenAccuracy(), o.epochs()));
        md.append("| source length | held-out sequences | exact match |\n|---|---|---|\n");
        for (int len = DigitReversal.MIN_LENGTH; len <= DigitReversal.MAX_LENGTH; len++) {
            md.append(SequenceReports.fmt("| %d | %d | %.4f |%n", len, s.count(len), s.accuracy(len)));
        }
        md.append("\n![loss and held-out exact match per epoch](curve.png)\n\n");
        md.append("Scored every quarter epoch; the loss is the mean over the batches since the previous row.\n\n");
        md.append("| epoch | train loss (nats per token) | held-out exact match | held-out token accuracy | seconds |\n"
                + "|---|---|---|---|---|\n");
        h.forEach(e -> md.append(SequenceReports.fmt("| %.2f | %.4f | %.4f | %.4f | %.1f |%n", e.epoch(), e.trainLoss(),
                e.heldOutExact(), e.heldOutTokens(), e.seconds())));
        md.append("\nThe first " + EXAMPLES + " held-out sequences, greedy output (`$` is EOS):\n\n"
                + "| source | expected | output | |\n|---|---|---|---|\n");
        for (int i = 0; i < Math.min(EXAMPLES, o.data().heldOut().size()); i++) {
            int[] target = o.data().heldOut().get(i).target();
            int[] out = o.predictions().get(i);
            md.append("| ").append(o.data().heldOut().get(i)).append(" | ").append(tokens(target)).append(" | ")
                    .append(tokens(out)).append(" | ").append(java.util.Arrays.equals(target, out) ? "✓" : "✗")
                    .append(" |\n");
        }
        md.append("\n## Method\n\n");
        md.append(SequenceReports.fmt("- Data: generated from the seed: %d training and %d held-out sequences, "
                + "lengths uniform in %d..%d, digits uniform. The held-out sequences are drawn first (distinct) and "
                + "training draws equal to one of them are rejected, so no held-out source is ever trained on.%n",
                o.data().train().size(), o.data().heldOut().size(), DigitReversal.MIN_LENGTH,
                DigitReversal.MAX_LENGTH));
        md.append("- Model: source embedding → encoder GRU; c = its final hidden state; decoder state s_0 = tanh(V c); "
                + "decoder GRU input at each step = [embedding of the previous token (GO first); c]; scores = "
                + "W_o [s_t; c; e(y_{t−1})] + b over 10 digits + EOS (Cho et al. use a maxout layer on the same "
                + "three terms). " + o.config().describe() + ".\n");
        md.append("- Variable lengths: **bucketing by length**. Every batch holds sources of one length, so the "
                + "encoder reads no padding and needs no mask; each epoch shuffles within lengths, cuts batches, and "
                + "shuffles the batches.\n");
        md.append("- Training: teacher forcing (the decoder reads the true previous token), mean cross-entropy over "
                + "all target tokens including EOS. Test: greedy decoding, each step's arg-max fed back, until EOS or "
                + Seq2SeqStudy.MAX_STEPS + " steps. Exact match: the output up to and including its first EOS equals "
                + "the reversed source followed by EOS. Token accuracy: target positions (EOS included) where the "
                + "output has the same token.\n");
        md.append("- What differs from Cho et al.: a synthetic task instead of translation, a linear output layer "
                + "instead of maxout, Adam instead of Adadelta, greedy decoding instead of beam search.\n");
        md.append(SequenceReports.provenance(c, "seq2seq-gru", "synthetic digit reversal, generated from the seed"));
        md.append(SequenceReports.fmt("- Time: %.1f s of training (%.1f s per epoch), %.1f s for the whole run.%n",
                o.trainSeconds(), o.trainSeconds() / o.epochs(), o.totalSeconds()));
        md.append("- ONNX, each re-imported and run against ONNX Runtime:\n"
                + "  - `encoder.onnx` (source ids [batch, time] to c [batch, " + o.config().hidden() + "]): "
                + encoderOnnx + "\n"
                + "  - `decoder-step.onnx` (previous tokens [batch], state [batch, H], c [batch, H] to "
                + "[batch, 11 + H]: the 11 scores, then the next state): " + decoderOnnx + "\n");
        StudyReport.write(c.out().resolve("report.md"), md.toString());
    }

    static String tokens(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int t : ids) {
            s.append(t == DigitReversal.EOS ? "$" : String.valueOf(t));
        }
        return s.toString();
    }

    private static void chart(Path file, List<Seq2SeqStudy.Epoch> h) {
        double[] x = h.stream().mapToDouble(Seq2SeqStudy.Epoch::epoch).toArray();
        XYChart loss = new XYChartBuilder().width(Charts.W).height(Charts.H).title("teacher-forced training loss")
                .xAxisTitle("epoch").yAxisTitle("cross-entropy (nats per token)").build();
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        loss.addSeries("train (during the epoch)", x, h.stream().mapToDouble(Seq2SeqStudy.Epoch::trainLoss)
                .toArray()).setMarker(SeriesMarkers.CIRCLE);
        XYChart acc = new XYChartBuilder().width(Charts.W).height(Charts.H).title("held-out accuracy (greedy)")
                .xAxisTitle("epoch").yAxisTitle("accuracy").build();
        acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        acc.addSeries("exact match", x, h.stream().mapToDouble(Seq2SeqStudy.Epoch::heldOutExact).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("token accuracy", x, h.stream().mapToDouble(Seq2SeqStudy.Epoch::heldOutTokens).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        double[] target = new double[x.length];
        java.util.Arrays.fill(target, Seq2SeqStudy.TARGET);
        acc.addSeries("target", x, target).setMarker(SeriesMarkers.NONE);
        Charts.write(file, List.of(loss, acc));
    }
}
