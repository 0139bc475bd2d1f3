package dev.dendrite.bench.dl4j;

import dev.dendrite.bench.compare.Workload;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One iteration of a workload in DL4J: {@code fit} on the fixed batch (forward, loss, backward, update) and the
 * score read back, as Dendrite's step reads its loss; or {@code output} in inference mode. Inputs are random
 * from the same seed as Dendrite's rows (same shapes and dtypes; labels one-hot, as DL4J's losses take them).
 */
public final class Dl4jSteps {
    /** The workloads DL4J has the layers for; the others (transformer, DCGAN, RBF) get no dl4j figure. */
    public static boolean supports(Workload w) {
        return switch (w.model()) {
            case "lenet5", "mlp", "lstm" -> true;
            default -> false;
        };
    }

    private Dl4jSteps() {}

    /** @param oneDnn false: DL4J as shipped (its layer helpers off); true: its oneDNN helpers engaged */
    public static Runnable of(Workload w, boolean oneDnn) {
        MultiLayerNetwork net = switch (w.model()) {
            case "lenet5" -> Dl4jModels.lenet5(42);
            case "mlp" -> Dl4jModels.mlp(42);
            case "lstm" -> Dl4jModels.lstm(42, SEQ_LEN);
            default -> throw new IllegalArgumentException("DL4J has no model for " + w.name());
        };
        if (oneDnn) {
            OneDnnHelpers.engage(net);
        }
        Nd4j.getRandom().setSeed(42);
        INDArray x;
        INDArray y;
        if (w.model().equals("lstm")) {
            x = Nd4j.rand(DataType.FLOAT, w.batch(), SEQ_LEN).muli(VOCAB).castTo(DataType.LONG).castTo(DataType.FLOAT);
            y = oneHot(Nd4j.rand(DataType.FLOAT, w.batch() * SEQ_LEN).muli(VOCAB).castTo(DataType.LONG), VOCAB)
                    .reshape(w.batch(), SEQ_LEN, VOCAB).permute(0, 2, 1).dup('c');
        } else {
            x = Nd4j.rand(DataType.FLOAT, w.batch(), 784);
            y = oneHot(Nd4j.rand(DataType.FLOAT, w.batch()).muli(10).castTo(DataType.LONG), 10);
        }
        if (!w.training()) {
            return () -> net.output(x, false);
        }
        return () -> {
            net.fit(x, y);
            net.score();
        };
    }

    /** Class ids [n] as one-hot float32 [n, classes]. */
    static INDArray oneHot(INDArray ids, int classes) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, ids.length(), classes);
        for (long i = 0; i < ids.length(); i++) {
            out.putScalar(i, ids.getLong(i), 1f);
        }
        return out;
    }

    static final int SEQ_LEN = 50;
    static final int VOCAB = 64;
}
