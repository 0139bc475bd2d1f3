package dev.dendrite.reference.sequence;

import dev.dendrite.basic.layers.Dense;
import dev.dendrite.basic.layers.Embedding;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.rnn.Gru;
import dev.dendrite.rnn.RecurrentOutput;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * Cho et al.'s (2014) RNN encoder–decoder with GRU units, §2.2: the encoder GRU reads the source embeddings and
 * its final hidden state is the summary c; the decoder starts from s_0 = tanh(V c), reads at step t the embedding of
 * the previous output token y_{t−1} (GO at t = 1) concatenated with c, and scores the next token as
 * W_o [s_t; c; e(y_{t−1})] + b over the 10 digits and EOS (the paper's output depends on the same three terms,
 * through a maxout layer). Batch-first: source ids [N, T].
 */
final class Seq2SeqGru extends Module {
    /** The decoder's first input token; the decoder's input vocabulary is the digits and GO. */
    static final int GO = 10;
    private final long hidden;
    private final Embedding sourceEmbedding;
    private final Gru encoder;
    private final Dense bridge;
    private final Embedding targetEmbedding;
    private final Gru decoder;
    private final Dense readout;

    Seq2SeqGru(LayerContext ctx, int embedding, int hidden) {
        super("seq2seq_gru");
        this.hidden = hidden;
        this.sourceEmbedding = child("source_embedding", new Embedding(new Embedding.Config(10, embedding), ctx));
        this.encoder = child("encoder", new Gru(Gru.Config.of(embedding, hidden).withBatchFirst(true), ctx));
        this.bridge = child("bridge", new Dense(new Dense.Config(hidden, hidden, true, "xavier_uniform"), ctx));
        this.targetEmbedding = child("target_embedding", new Embedding(new Embedding.Config(11, embedding), ctx));
        this.decoder = child("decoder", new Gru(Gru.Config.of(embedding + hidden, hidden).withBatchFirst(true), ctx));
        this.readout = child("readout", new Dense(new Dense.Config(2 * hidden + embedding,
                DigitReversal.OUTPUT_CLASSES, true, "xavier_uniform"), ctx));
    }

    long hidden() {
        return hidden;
    }

    /** The model's forward pass is the encoder: source ids [N, T] to the summary c [N, hidden]. */
    @Override
    protected Tensor call(Tensor source) {
        return encode(source);
    }

    Tensor encode(Tensor source) {
        if (source.rank() != 2) {
            throw new ShapeException("expected source ids [batch, time], got " + Shapes.str(source.shape()));
        }
        RecurrentOutput out = encoder.run(sourceEmbedding.forward(source), null, null, null);
        return F.squeeze(out.hidden(), 0);
    }

    /** s_0 = tanh(V c), as the decoder's initial state [1, N, hidden]. */
    Tensor initialState(Tensor c) {
        return F.unsqueeze(F.tanh(bridge.forward(c)), 0);
    }

    /**
     * Teacher forcing: scores [N, S, 11] for decoder inputs [N, S] (GO, then the target's first S − 1 tokens).
     */
    Tensor logits(Tensor source, Tensor previous) {
        Tensor c = encode(source);
        long n = previous.size(0);
        long s = previous.size(1);
        Tensor e = targetEmbedding.forward(previous);
        Tensor cs = F.expand(F.unsqueeze(c, 1), n, s, hidden);
        Tensor states = decoder.run(F.concat(2, e, cs), null, initialState(c), null).output();
        return readout.forward(F.concat(2, states, cs, e));
    }

    /** One decoder step, for greedy decoding: scores [N, 11] and the next state [1, N, hidden]. */
    record Step(Tensor logits, Tensor state) {}

    /** @param previous the tokens fed back, [N]; @param state [1, N, hidden]; @param c the summary [N, hidden] */
    Step step(Tensor previous, Tensor state, Tensor c) {
        Tensor e = targetEmbedding.forward(previous);
        Tensor x = F.unsqueeze(F.concat(1, e, c), 1);
        RecurrentOutput out = decoder.run(x, null, state, null);
        Tensor s = F.squeeze(out.output(), 1);
        return new Step(readout.forward(F.concat(1, s, c, e)), out.hidden());
    }

    /** The encoder as a model of its own (source ids [N, T] to c [N, hidden]), for encoder.onnx. */
    Module encoderModel() {
        return new Part("seq2seq_encoder", this, false);
    }

    /**
     * One decoder step as a model (previous tokens [N], state [N, hidden], c [N, hidden]) to [N, 11 + hidden]: the
     * scores then the next state in one output, as the exporter writes one output per model; decoder-step.onnx.
     */
    Module decoderStepModel() {
        return new Part("seq2seq_decoder_step", this, true);
    }

    private static final class Part extends Module {
        private final Seq2SeqGru model;
        private final boolean decoderStep;

        Part(String kind, Seq2SeqGru model, boolean decoderStep) {
            super(kind);
            // Attached under its own name so the exported initializers keep the full model's parameter names.
            this.model = child("seq2seq_gru", model);
            this.decoderStep = decoderStep;
        }

        @Override
        protected Tensor call(Tensor[] inputs) {
            if (!decoderStep) {
                if (inputs.length != 1) {
                    throw new ShapeException("expected 1 input (source ids), got " + inputs.length);
                }
                return model.encode(inputs[0]);
            }
            if (inputs.length != 3) {
                throw new ShapeException("expected 3 inputs (previous tokens, state, c), got " + inputs.length);
            }
            Step s = model.step(inputs[0], F.unsqueeze(inputs[1], 0), inputs[2]);
            return F.concat(1, s.logits(), F.squeeze(s.state(), 0));
        }
    }
}
