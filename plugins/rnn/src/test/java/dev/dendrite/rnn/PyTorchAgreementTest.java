package dev.dendrite.rnn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's nn.LSTM / nn.GRU / nn.RNN (2 layers, bidirectional, batch_first, packed sequences of lengths 5, 2, 4,
 * given initial states): its state_dict loads into the Dendrite layer by name, and output, h_n (and c_n) and the
 * gradients of every parameter, the input and the initial states agree with PyTorch's (float64).
 */
class PyTorchAgreementTest {
    static Recurrent layer(String kind, DataType type) {
        LayerContext ctx = new LayerContext(type, new Rng(5), Registry.of("layer", List.of()));
        return switch (kind) {
            case "lstm" -> new Lstm(Lstm.Config.of(3, 4).withLayers(2).withBidirectional(true).withBatchFirst(true),
                    ctx);
            case "gru" -> new Gru(Gru.Config.of(3, 4).withLayers(2).withBidirectional(true).withBatchFirst(true), ctx);
            default -> new Rnn(Rnn.Config.of(3, 4).withLayers(2).withBidirectional(true).withBatchFirst(true)
                    .withNonlinearity(kind.equals("rnn_relu") ? "relu" : "tanh"), ctx);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn_tanh", "rnn_relu"})
    void stateDictLoadsAndOutputsAndGradientsMatch(String kind) {
        Map<String, INDArray> data = PyTorchFixtures.npz(kind, "data.npz");
        Recurrent layer = layer(kind, DataType.DOUBLE);
        Parameters.load(layer, PyTorchFixtures.npz(kind, "state_dict.npz"), kind + "/state_dict.npz");
        boolean lstm = kind.equals("lstm");
        Tensor x = Tensor.leaf(data.get("x").dup());
        Tensor h0 = Tensor.leaf(data.get("h0").dup());
        Tensor c0 = lstm ? Tensor.leaf(data.get("c0").dup()) : null;
        RecurrentOutput out = layer.run(x, Tensor.of(data.get("lengths")), h0, c0);
        double fwd = Math.max(Compare.maxAbsDiff(kind + " output", out.output().data(), data.get("output")),
                Compare.maxAbsDiff(kind + " h_n", out.hidden().data(), data.get("h_n")));
        if (lstm) {
            fwd = Math.max(fwd, Compare.maxAbsDiff(kind + " c_n", out.cell().data(), data.get("c_n")));
        } else {
            assertNull(out.cell());
        }
        Tensor loss = F.add(F.sum(F.mul(out.output(), Tensor.of(data.get("w_out"))), false),
                F.sum(F.mul(out.hidden(), Tensor.of(data.get("w_h"))), false));
        if (lstm) {
            loss = F.add(loss, F.sum(F.mul(out.cell(), Tensor.of(data.get("w_c"))), false));
        }
        loss.backward();
        double grad = Math.max(Compare.maxAbsDiff(kind + " grad x", x.grad(), data.get("grad_x")),
                Compare.maxAbsDiff(kind + " grad h0", h0.grad(), data.get("grad_h0")));
        if (lstm) {
            grad = Math.max(grad, Compare.maxAbsDiff(kind + " grad c0", c0.grad(), data.get("grad_c0")));
        }
        for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
            grad = Math.max(grad, Compare.maxAbsDiff(kind + " grad " + p.getKey(), p.getValue().grad(),
                    data.get("grad." + p.getKey())));
        }
        System.out.println(kind + " vs PyTorch (float64): outputs " + fwd + ", gradients " + grad);
        assertTrue(fwd <= 1e-10 && grad <= 1e-10, "outputs " + fwd + ", gradients " + grad);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn_tanh", "rnn_relu"})
    void float32MatchesWithin1e5(String kind) {
        Map<String, INDArray> data = PyTorchFixtures.npz(kind, "data.npz");
        Recurrent layer = layer(kind, DataType.FLOAT);
        Parameters.load(layer, PyTorchFixtures.npz(kind, "state_dict.npz"), kind + "/state_dict.npz");
        boolean lstm = kind.equals("lstm");
        RecurrentOutput out;
        try (var off = GradMode.off()) {
            out = layer.run(Tensor.of(data.get("x").castTo(DataType.FLOAT)), Tensor.of(data.get("lengths")),
                    Tensor.of(data.get("h0").castTo(DataType.FLOAT)),
                    lstm ? Tensor.of(data.get("c0").castTo(DataType.FLOAT)) : null);
        }
        double fwd = Math.max(Compare.maxAbsDiff(kind + " output", out.output().data(), data.get("output")),
                Compare.maxAbsDiff(kind + " h_n", out.hidden().data(), data.get("h_n")));
        if (lstm) {
            fwd = Math.max(fwd, Compare.maxAbsDiff(kind + " c_n", out.cell().data(), data.get("c_n")));
        }
        System.out.println(kind + " float32 vs PyTorch: " + fwd);
        assertTrue(fwd <= 1e-5, "max diff " + fwd);
    }
}
