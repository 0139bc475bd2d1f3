package dev.dendrite.train;

import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loss and (for class-id targets) accuracy of a model on a dataset, in eval mode and without a graph. */
public final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() {}

    public record Result(double loss, double accuracy) {}

    /** The model and loss as one compiled step (outputs: the loss, the prediction), for {@link #evaluate}. */
    public static CompiledStep step(Layer model, Loss loss, Rng rng, boolean compiled) {
        return new CompiledStep("evaluation", in -> {
            Tensor out = model.forward(in[0]);
            return new Tensor[] {loss.compute(out, in[1]), out};
        }, rng, compiled, model::buffers);
    }

    /** NaN figures for a null dataset; eager. */
    public static Result evaluate(Layer model, Loss loss, Dataset data) {
        try (CompiledStep step = step(model, loss, new Rng(0), false)) {
            return evaluate(model, loss, data, step);
        }
    }

    /** As {@link #evaluate(Layer, Loss, Dataset)}, with {@code step} from {@link #step} for this model and loss. */
    public static Result evaluate(Layer model, Loss loss, Dataset data, CompiledStep step) {
        if (data == null) {
            return new Result(Double.NaN, Double.NaN);
        }
        boolean wasTraining = model.isTraining();
        model.train(false);
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        boolean classes = true;
        try (var off = GradMode.off(); DataLoader.Epoch epoch = new DataLoader(data, BATCH, false, false, null).epoch()) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                Tensor[] r = step.forward(Boolean.FALSE, false, b.features(), b.labels());
                Tensor out = r[1];
                lossSum += loss.requireFinite(r[0], out, Tensor.of(b.labels())).item() * b.size();
                INDArray y = b.labels();
                classes &= y.dataType().isIntType() && out.rank() == 2 && y.rank() == 1;
                if (classes) {
                    INDArray predicted = out.data().argMax(1).castTo(DataType.INT64);
                    correct += predicted.eq(y.castTo(DataType.INT64)).castTo(DataType.INT64).sumNumber().longValue();
                }
                n += b.size();
                b.release();
            }
        } finally {
            model.train(wasTraining);
        }
        return new Result(lossSum / n, classes ? (double) correct / n : Double.NaN);
    }
}
