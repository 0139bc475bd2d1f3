package dev.dendrite.reference.sequence;

import dev.dendrite.loss.Loss;
import dev.dendrite.ops.F;
import dev.dendrite.optim.GradClip;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cho et al. (2014), "Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine
 * Translation": the GRU encoder–decoder, trained by teacher forcing and decoded greedily, on reversing sequences of
 * 5–10 digits; scored by held-out exact match.
 */
public final class Seq2SeqStudy implements Study {
    static final double TARGET = 0.95;
    /** Decoding stops after this many tokens when no EOS came (the longest target has 11). */
    static final int MAX_STEPS = 12;

    /** The hyperparameters and the task's size (the study's own knob; tests use {@link #SMALL}). */
    record Config(int embedding, int hidden, int batch, double lr, double finalLr, double clip, int epochs,
            int trainSize, int heldOutSize) {
        static final Config FULL = new Config(32, 256, 64, 2e-3, 2e-4, 1.0, 2, 50_000, 2_000);
        /** One epoch of this is above chance by a margin (tokens 0.44 vs 1/11, exact match 0.085), in ~8 s. */
        static final Config SMALL = new Config(16, 64, 32, 1e-2, 1e-3, 1.0, 1, 3200, 200);

        String describe() {
            return SequenceReports.fmt("embeddings %d, encoder and decoder GRU %d units, batch %d, Adam lr %.1g → "
                    + "%.1g (cosine), gradient norm clipped at %.1f", embedding, hidden, batch, lr, finalLr, clip);
        }
    }

    /** Held-out scores per epoch (at quarter epochs, so that short runs still draw a curve). */
    static final int EVALUATIONS_PER_EPOCH = 4;

    /**
     * One evaluation, after {@code epoch} epochs (fractional). Loss: the mean teacher-forced cross-entropy per
     * target token (nats) over the batches since the previous evaluation; seconds: their training time.
     */
    record Epoch(double epoch, double trainLoss, double heldOutExact, double heldOutTokens, double seconds) {}

    private final Config config;

    public Seq2SeqStudy() {
        this(Config.FULL);
    }

    Seq2SeqStudy(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "seq2seq-gru";
    }

    @Override
    public String title() {
        return "GRU encoder-decoder (Cho et al. 2014) on reversing 5-10 digit sequences, held-out exact match";
    }

    @Override
    public boolean usesFashionMnist() {
        return false;
    }

    @Override
    public List<String> run(Context c) {
        long started = System.nanoTime();
        StudyReport.createDirectory(c.out());
        int epochs = c.epochs() == null ? config.epochs() : c.epochs();
        if (epochs < 1) {
            throw new DendriteException("seq2seq-gru: --epochs must be at least 1, got " + epochs);
        }
        DigitReversal.Splits data = DigitReversal.generate(c.seed(), config.trainSize(), config.heldOutSize());
        c.console().printf("task: reverse %d-%d digits; %d training and %d held-out sequences (disjoint)%n",
                DigitReversal.MIN_LENGTH, DigitReversal.MAX_LENGTH, data.train().size(), data.heldOut().size());
        Engine engine = new Engine(c.seed(), c.engine());
        Seq2SeqGru model = new Seq2SeqGru(engine.layers(), config.embedding(), config.hidden());
        Optimizer adam = engine.optimizer("adam", "{\"lr\": " + config.lr() + "}", model.parameters());
        Loss loss = engine.crossEntropy();
        c.console().println("model: " + config.describe() + ", " + epochs + " epochs");

        List<List<DigitReversal.Example>> trainBuckets = Buckets.byLength(data.train());
        long batchesPerEpoch = trainBuckets.stream().mapToLong(b -> (b.size() + config.batch() - 1) / config.batch())
                .sum();
        long totalSteps = batchesPerEpoch * epochs;
        long step = 0;
        // Batches come by length bucket (5 to 10 digits, and each bucket's last batch is smaller): a plan per shape.
        CompiledStep trainStep = engine.step("seq2seq step", model, in -> new Tensor[] {loss.compute(
                F.reshape(model.logits(in[0], in[1]), -1, DigitReversal.OUTPUT_CLASSES), in[2])}, 16);
        List<Epoch> history = new ArrayList<>();
        double trainSeconds = 0;
        ExactMatch score = null;
        List<int[]> outputs = null;
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            model.train(true);
            double nats = 0;
            long tokens = 0;
            List<List<DigitReversal.Example>> batches = Buckets.batches(trainBuckets, config.batch(), engine.rng());
            for (int i = 0; i < batches.size(); i++) {
                adam.setLearningRate(cosine(step++, totalSteps));
                adam.zeroGrad();
                INDArray[] b = teacherForcing(batches.get(i));
                Tensor[] out = trainStep.forward(model.isTraining(), true, b);
                double l = out[0].item();
                if (!Double.isFinite(l)) {
                    trainStep.cancel();
                    throw new DendriteException("seq2seq-gru: training diverged, loss " + l + " at epoch " + e);
                }
                trainStep.backward();
                double norm = GradClip.clipNorm(model.parameters().values(), config.clip());
                if (!Double.isFinite(norm)) {
                    throw new DendriteException("seq2seq-gru: training diverged, gradient norm " + norm + " at epoch "
                            + e);
                }
                adam.step();
                nats += l * b[2].length();
                tokens += b[2].length();
                // Scored EVALUATIONS_PER_EPOCH times per epoch, so a run of few epochs still draws a curve.
                int quarter = (int) ((long) (i + 1) * EVALUATIONS_PER_EPOCH / batches.size());
                if (quarter > (long) i * EVALUATIONS_PER_EPOCH / batches.size()) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    trainSeconds += seconds;
                    outputs = decode(model, data.heldOut());
                    score = ExactMatch.score(targets(data.heldOut()), outputs);
                    double at = e - 1 + (double) quarter / EVALUATIONS_PER_EPOCH;
                    history.add(new Epoch(at, nats / tokens, score.accuracy(), score.tokenAccuracy(), seconds));
                    c.console().printf("epoch %.2f: train loss %.4f nats per token, held-out exact match %.4f, token "
                            + "accuracy %.4f, %.1f s%n", at, nats / tokens, score.accuracy(), score.tokenAccuracy(),
                            seconds);
                    nats = 0;
                    tokens = 0;
                    model.train(true);
                    t0 = System.nanoTime();
                }
            }
        }
        String encoderOnnx = Seq2SeqReport.exportEncoder(model, c.out().resolve("encoder.onnx"));
        String decoderOnnx = Seq2SeqReport.exportDecoderStep(model, c.out().resolve("decoder-step.onnx"));
        Seq2SeqReport.Outputs report = new Seq2SeqReport.Outputs(data, history, score, outputs, trainSeconds,
                (System.nanoTime() - started) / 1e9, epochs, config);
        Seq2SeqReport.write(c, report, encoderOnnx, decoderOnnx);
        return List.of(
                SequenceReports.fmt("held-out exact match %.4f over %d sequences (target ≥ %.2f: %s), token accuracy "
                        + "%.4f", score.accuracy(), score.sequences(), TARGET, score.accuracy() >= TARGET ? "met"
                                : "NOT met", score.tokenAccuracy()),
                SequenceReports.fmt("%d epochs, %.0f s of training, %.0f s in all", epochs, trainSeconds,
                        report.totalSeconds()),
                "report: " + c.out().resolve("report.md"));
    }

    private double cosine(long step, long total) {
        double progress = total <= 1 ? 0 : Math.min(1.0, (double) step / (total - 1));
        return config.finalLr() + 0.5 * (config.lr() - config.finalLr()) * (1 + Math.cos(Math.PI * progress));
    }

    /**
     * A batch of one source length as [source ids [N, L], decoder inputs [N, L+1] (GO, then the target without its
     * EOS), targets [N·(L+1)] (row-major, as the scores flatten)].
     */
    static INDArray[] teacherForcing(List<DigitReversal.Example> batch) {
        int n = batch.size();
        int len = batch.get(0).length();
        long[] src = new long[n * len];
        long[] in = new long[n * (len + 1)];
        long[] out = new long[n * (len + 1)];
        for (int i = 0; i < n; i++) {
            DigitReversal.Example ex = batch.get(i);
            if (ex.length() != len) {
                throw new IllegalArgumentException("a batch must hold one source length: " + len + " and "
                        + ex.length());
            }
            int[] target = ex.target();
            for (int t = 0; t < len; t++) {
                src[i * len + t] = ex.source()[t];
            }
            for (int t = 0; t <= len; t++) {
                in[i * (len + 1) + t] = t == 0 ? Seq2SeqGru.GO : target[t - 1];
                out[i * (len + 1) + t] = target[t];
            }
        }
        return new INDArray[] {Nd4j.createFromArray(src).reshape(n, len),
                Nd4j.createFromArray(in).reshape(n, len + 1), Nd4j.createFromArray(out)};
    }

    static List<int[]> targets(List<DigitReversal.Example> examples) {
        return examples.stream().map(DigitReversal.Example::target).toList();
    }

    /** Greedy outputs for {@code examples}, in their order: encoded a length at a time, no padding. */
    static List<int[]> decode(Seq2SeqGru model, List<DigitReversal.Example> examples) {
        int[][] outputs = new int[examples.size()][];
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (var off = GradMode.off()) {
            for (int len = DigitReversal.MIN_LENGTH; len <= DigitReversal.MAX_LENGTH; len++) {
                List<Integer> rows = new ArrayList<>();
                for (int i = 0; i < examples.size(); i++) {
                    if (examples.get(i).length() == len) {
                        rows.add(i);
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                long[] src = new long[rows.size() * len];
                for (int r = 0; r < rows.size(); r++) {
                    int[] s = examples.get(rows.get(r)).source();
                    for (int t = 0; t < len; t++) {
                        src[r * len + t] = s[t];
                    }
                }
                Tensor c = model.encode(Tensor.of(Nd4j.createFromArray(src).reshape(rows.size(), len)));
                Tensor[] state = {model.initialState(c)};
                List<int[]> out = GreedyDecoder.decode(previous -> {
                    long[] p = new long[previous.length];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = previous[i];
                    }
                    Seq2SeqGru.Step s = model.step(Tensor.of(Nd4j.createFromArray(p)), state[0], c);
                    state[0] = s.state();
                    return s.logits().data().castTo(DataType.FLOAT).toFloatMatrix();
                }, rows.size(), Seq2SeqGru.GO, DigitReversal.EOS, MAX_STEPS);
                for (int r = 0; r < rows.size(); r++) {
                    outputs[rows.get(r)] = out.get(r);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return List.of(outputs);
    }
}
