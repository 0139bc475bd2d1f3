package dev.dendrite.reference.sequence;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.dendrite.loss.Loss;
import dev.dendrite.ops.F;
import dev.dendrite.optim.GradClip;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
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
 * Graves (2013), "Generating Sequences With Recurrent Neural Networks", §2–3 in small: a character LSTM language
 * model trained by truncated backpropagation through time with gradient clipping, scored in held-out bits per
 * character against a smoothed character-bigram model on the same characters.
 */
public final class CharLstmStudy implements Study {
    /** Bits per character the LSTM must gain over the bigram (the study's target). */
    static final double TARGET_GAIN = 0.5;
    /** Characters of training text the held-out evaluation runs through first, from a zero state. */
    static final int WARMUP = 1000;
    /** Characters per LSTM call in evaluation. */
    static final int EVAL_CHUNK = 1000;
    /** The slice of the training part on which the bigram's α is chosen. */
    static final double ALPHA_SLICE = 0.1;
    static final String PROMPT = "The ";
    static final int SAMPLE_LENGTH = 200;
    static final double TEMPERATURE = 0.7;
    private static final long SAMPLE_SEED = 0x5A3B1EL;

    /**
     * The hyperparameters.
     *
     * @param streams the batch: the training text cut into this many contiguous streams, walked in step
     * @param window truncated-BPTT length: characters per step and stream
     * @param clip the global gradient-norm bound
     */
    record Config(int embedding, int hidden, int layers, double dropout, int streams, int window, double lr,
            double finalLr, double clip, int epochs) {
        /*
         * 10 epochs: ~3.5 min on one thread, and the held-out curve has flattened by then (epochs 8-10 gained
         * 0.03 bit/char in all) while the train/held-out gap keeps widening.
         */
        static final Config FULL = new Config(64, 256, 1, 0.1, 8, 100, 4e-3, 4e-4, 1.0, 10);
        /** For tests: a few seconds. */
        static final Config SMALL = new Config(16, 32, 1, 0.0, 8, 40, 1e-2, 1e-3, 1.0, 1);

        String describe() {
            return SequenceReports.fmt("embedding %d, LSTM %d layer(s) × %d units, dropout %.2f (embedding and LSTM "
                    + "output), batch %d streams × %d-character windows (truncated BPTT, state carried between "
                    + "windows), Adam lr %.1g → %.1g (cosine), gradient norm clipped at %.1f", embedding, layers,
                    hidden, dropout, streams, window, lr, finalLr, clip);
        }
    }

    /** One epoch: a pass over the training text. Train bpc: the minibatch losses during it (dropout on). */
    record Epoch(int epoch, double trainBits, double heldOutBits, double seconds) {}

    private final Config config;

    public CharLstmStudy() {
        this(Config.FULL);
    }

    CharLstmStudy(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "char-lstm";
    }

    @Override
    public String title() {
        return "Character LSTM language model (Graves 2013) vs a smoothed bigram, held-out bits per character";
    }

    @Override
    public boolean usesFashionMnist() {
        return false;
    }

    @Override
    public List<String> run(Context c) {
        long started = System.nanoTime();
        StudyReport.createDirectory(c.out());
        CharCorpus corpus = CharCorpus.load(c.dataDir());
        int epochs = c.epochs() == null ? config.epochs() : c.epochs();
        if (epochs < 1) {
            throw new DendriteException("char-lstm: --epochs must be at least 1, got " + epochs);
        }
        int[] train = corpus.train();
        if (train.length < config.streams() * (config.window() + 1)) {
            throw new DendriteException("char-lstm: the training part has " + train.length + " characters, fewer than "
                    + config.streams() + " streams of " + (config.window() + 1) + " need");
        }
        int v = corpus.vocabularySize();
        c.console().printf("text: %s, %d characters (%d train, %d held out), vocabulary %d%n", corpus.description(),
                corpus.length(), corpus.trainEnd(), corpus.heldOutLength(), v);

        double alpha = BigramModel.chooseAlpha(train, v, ALPHA_SLICE);
        BigramModel bigram = BigramModel.fit(train, v, alpha);
        double bigramBits = bigram.bitsPerCharacter(corpus.ids(), corpus.trainEnd(), corpus.length());
        c.console().printf("bigram (α = %s, chosen on the training part): held-out %.4f bits per character%n", alpha,
                bigramBits);

        Engine engine = new Engine(c.seed(), c.engine());
        CharLstm model = new CharLstm(engine.layers(), v, config.embedding(), config.hidden(), config.layers(),
                config.dropout());
        Optimizer adam = engine.optimizer("adam", "{\"lr\": " + config.lr() + "}", model.parameters());
        Loss loss = engine.crossEntropy();
        c.console().println("LSTM: " + config.describe() + ", " + epochs + " epochs");

        // One compiled step per window: the loss, and the final state handed to the next window as inputs (so the
        // first window of an epoch, without a state, is a second signature).
        CompiledStep trainStep = engine.step("char-LSTM step", model, in -> {
            CharLstm.Step out = model.run(in[0], in.length > 2 ? new CharLstm.State(in[2], in[3]) : null);
            return new Tensor[] {loss.compute(F.reshape(out.logits(), -1, v), in[1]), out.state().h(),
                out.state().c()};
        });
        List<Epoch> history = new ArrayList<>();
        int stepsPerEpoch = (train.length / config.streams() - 1) / config.window();
        long totalSteps = (long) stepsPerEpoch * epochs;
        long step = 0;
        double trainSeconds = 0;
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            model.train(true);
            double nats = 0;
            int batches = 0;
            // Each epoch's streams start at a random shift, so the windows' edges fall elsewhere every pass.
            int shift = engine.rng().nextInt(config.window());
            int streamLength = (train.length - shift) / config.streams();
            INDArray[] state = null;
            for (int from = 0; from + config.window() + 1 <= streamLength; from += config.window()) {
                adam.setLearningRate(cosine(step++, totalSteps));
                adam.zeroGrad();
                INDArray[] xy = windows(train, shift, streamLength, from, config.streams(), config.window());
                Tensor[] out = trainStep.forward(model.isTraining(), true,
                        state == null ? xy : new INDArray[] {xy[0], xy[1], state[0], state[1]});
                double l = out[0].item();
                if (!Double.isFinite(l)) {
                    trainStep.cancel();
                    throw new DendriteException("char-lstm: training diverged, loss " + l + " at epoch " + e);
                }
                trainStep.backward();
                double norm = GradClip.clipNorm(model.parameters().values(), config.clip());
                if (!Double.isFinite(norm)) {
                    throw new DendriteException("char-lstm: training diverged, gradient norm " + norm + " at epoch "
                            + e);
                }
                adam.step();
                // Carry the state into the next window as values, not through the graph (truncated BPTT): the next
                // call copies them in before anything overwrites them.
                state = new INDArray[] {out[1].data(), out[2].data()};
                nats += l;
                batches++;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            double held = heldOutBits(model, corpus, loss);
            history.add(new Epoch(e, nats / batches / Math.log(2), held, seconds));
            c.console().printf("epoch %d: train %.3f bpc (during the epoch), held-out %.4f bpc, %.1f s%n", e,
                    nats / batches / Math.log(2), held, seconds);
        }
        Epoch last = history.get(history.size() - 1);
        String sample = sample(model, corpus, new Rng(c.seed() ^ SAMPLE_SEED));
        CharLstmReport.Outputs outputs = new CharLstmReport.Outputs(corpus, alpha, bigramBits, history, sample,
                trainSeconds, (System.nanoTime() - started) / 1e9, epochs, config);
        String onnx = CharLstmReport.export(model, c.out().resolve("model.onnx"));
        CharLstmReport.write(c, outputs, onnx);
        double gain = bigramBits - last.heldOutBits();
        return List.of(
                SequenceReports.fmt("held-out bits per character over %d characters: LSTM %.4f, bigram %.4f "
                        + "(α = %s): the LSTM is %.3f bpc better (target ≥ %.1f: %s)", corpus.heldOutLength(),
                        last.heldOutBits(), bigramBits, alpha, gain, TARGET_GAIN, gain >= TARGET_GAIN ? "met"
                                : "NOT met"),
                SequenceReports.fmt("%d epochs, %.0f s of training, %.0f s in all", epochs, trainSeconds,
                        outputs.totalSeconds()),
                "sample: " + PROMPT + sample.replace("\n", "⏎"),
                "report: " + c.out().resolve("report.md"));
    }

    /** Cosine decay from lr to finalLr over the run's steps. */
    private double cosine(long step, long total) {
        double progress = total <= 1 ? 0 : Math.min(1.0, (double) step / (total - 1));
        return config.finalLr() + 0.5 * (config.lr() - config.finalLr()) * (1 + Math.cos(Math.PI * progress));
    }

    /**
     * Inputs [streams, window] and next-character targets [streams·window] (row-major, as the logits flatten) of
     * the windows starting {@code from} characters into each of the contiguous streams.
     */
    static INDArray[] windows(int[] text, int shift, int streamLength, int from, int streams, int window) {
        long[] x = new long[streams * window];
        long[] y = new long[streams * window];
        for (int s = 0; s < streams; s++) {
            int base = shift + s * streamLength + from;
            for (int t = 0; t < window; t++) {
                x[s * window + t] = text[base + t];
                y[s * window + t] = text[base + t + 1];
            }
        }
        return new INDArray[] {Nd4j.createFromArray(x).reshape(streams, window), Nd4j.createFromArray(y)};
    }

    /**
     * Bits per character over the held-out part: the model reads the last {@link #WARMUP} training characters from
     * a zero state, then predicts every held-out character from all before it, {@link #EVAL_CHUNK} at a time with
     * the state carried. Every held-out character is scored, the first one included (predicted from the last
     * training character), exactly as the bigram's.
     */
    static double heldOutBits(CharLstm model, CharCorpus corpus, Loss loss) {
        int[] ids = corpus.ids();
        int start = Math.max(1, corpus.trainEnd() - WARMUP);
        double heldNats = 0;
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (var off = GradMode.off()) {
            CharLstm.State state = null;
            // Chunks end at the split, so each is wholly warm-up or wholly held-out.
            for (int t = start; t < ids.length; ) {
                int end = Math.min(t + EVAL_CHUNK, t < corpus.trainEnd() ? corpus.trainEnd() : ids.length);
                INDArray x = Nd4j.createFromArray(slice(ids, t - 1, end - 1)).reshape(1, end - t);
                INDArray y = Nd4j.createFromArray(slice(ids, t, end));
                CharLstm.Step out = model.run(Tensor.of(x), state);
                state = out.state();
                if (t >= corpus.trainEnd()) {
                    heldNats += loss.apply(F.reshape(out.logits(), -1, corpus.vocabularySize()), Tensor.of(y)).item()
                            * (end - t);
                }
                t = end;
            }
        } finally {
            model.train(wasTraining);
        }
        return heldNats / corpus.heldOutLength() / Math.log(2);
    }

    private static long[] slice(int[] ids, int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = ids[i];
        }
        return out;
    }

    /**
     * {@link #SAMPLE_LENGTH} characters after {@link #PROMPT}: each drawn from softmax(logits / T) with
     * T = {@link #TEMPERATURE}, fed back as the next input. Prompt characters the text lacks are skipped.
     */
    static String sample(CharLstm model, CharCorpus corpus, Rng rng) {
        List<Long> prompt = new ArrayList<>();
        for (char ch : PROMPT.toCharArray()) {
            if (corpus.id(ch) >= 0) {
                prompt.add((long) corpus.id(ch));
            }
        }
        if (prompt.isEmpty()) {
            prompt.add(0L);
        }
        boolean wasTraining = model.isTraining();
        model.train(false);
        int[] drawn = new int[SAMPLE_LENGTH];
        try (var off = GradMode.off()) {
            INDArray x = Nd4j.createFromArray(prompt.stream().mapToLong(Long::longValue).toArray())
                    .reshape(1, prompt.size());
            CharLstm.Step out = model.run(Tensor.of(x), null);
            for (int i = 0; i < SAMPLE_LENGTH; i++) {
                long t = out.logits().size(1);
                INDArray last = out.logits().data().get(point(0), point(t - 1), all()).castTo(DataType.DOUBLE);
                drawn[i] = draw(last.toDoubleVector(), rng);
                out = model.run(Tensor.of(Nd4j.createFromArray(new long[] {drawn[i]}).reshape(1, 1)), out.state());
            }
        } finally {
            model.train(wasTraining);
        }
        return corpus.decode(drawn);
    }

    /** An index drawn from softmax(logits / {@link #TEMPERATURE}). */
    static int draw(double[] logits, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / TEMPERATURE);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
