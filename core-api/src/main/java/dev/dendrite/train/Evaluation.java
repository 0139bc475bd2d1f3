package dev.dendrite.train;

import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loss and (for class-id targets) accuracy of a model on a dataset, in eval mode and without a graph. */
public final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() {}

    public record Result(double loss, double accuracy) {}

    /** NaN figures for a null dataset. */
    public static Result evaluate(Layer model, Loss loss, Dataset data) {
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
                Tensor out = model.forward(Tensor.of(b.features()));
                lossSum += loss.apply(out, Tensor.of(b.labels())).item() * b.size();
                INDArray y = b.labels();
                classes &= y.dataType().isIntType() && out.rank() == 2 && y.rank() == 1;
                if (classes) {
                    INDArray predicted = out.data().argMax(1).castTo(DataType.INT64);
                    correct += predicted.eq(y.castTo(DataType.INT64)).castTo(DataType.INT64).sumNumber().longValue();
                }
                n += b.size();
            }
        } finally {
            model.train(wasTraining);
        }
        return new Result(lossSum / n, classes ? (double) correct / n : Double.NaN);
    }
}
