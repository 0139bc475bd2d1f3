package dev.dendrite.reference.sequence;

import dev.dendrite.basic.layers.Dense;
import dev.dendrite.basic.layers.Embedding;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.rnn.Lstm;
import dev.dendrite.rnn.RecurrentOutput;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * A character language model after Graves (2013), §2: x_t = E[c_t] (an embedding row), (h_t, c_t) = LSTM(x_t,
 * h_{t−1}, c_{t−1}), and p(c_{t+1} | c_{≤t}) = softmax(W h_t + b). Batch-first: ids [N, T] in, logits [N, T, V]
 * out. Dropout (Zaremba et al. 2014: on the non-recurrent connections only) on the embedding and on the LSTM's
 * output while training.
 */
final class CharLstm extends Module {
    private final Embedding embedding;
    private final Lstm lstm;
    private final Dense readout;
    private final double dropout;
    private final Rng rng;

    /** The recurrent state carried between calls, [layers, N, hidden] each. */
    record State(Tensor h, Tensor c) {}

    /** What one call gives: logits [N, T, V] and the state after the last step. */
    record Step(Tensor logits, State state) {}

    CharLstm(LayerContext ctx, int vocabulary, int embedding, int hidden, int layers, double dropout) {
        super("char_lstm");
        this.embedding = child("embedding", new Embedding(new Embedding.Config(vocabulary, embedding), ctx));
        this.lstm = child("lstm", new Lstm(Lstm.Config.of(embedding, hidden).withLayers(layers)
                .withBatchFirst(true).withDropout(layers > 1 ? dropout : 0.0), ctx));
        this.readout = child("readout", new Dense(new Dense.Config(hidden, vocabulary, true, "xavier_uniform"), ctx));
        this.dropout = dropout;
        this.rng = ctx.rng();
    }

    @Override
    protected Tensor call(Tensor ids) {
        return run(ids, null).logits();
    }

    /** @param state the state to start from, or null for zeros */
    Step run(Tensor ids, State state) {
        if (ids.rank() != 2) {
            throw new ShapeException("expected character ids [batch, time], got " + Shapes.str(ids.shape()));
        }
        Tensor x = drop(embedding.forward(ids));
        RecurrentOutput out = lstm.run(x, null, state == null ? null : state.h(), state == null ? null : state.c());
        return new Step(readout.forward(drop(out.output())), new State(out.hidden(), out.cell()));
    }

    private Tensor drop(Tensor x) {
        return isTraining() && dropout > 0 ? F.dropout(x, dropout, rng.nextLong()) : x;
    }
}
