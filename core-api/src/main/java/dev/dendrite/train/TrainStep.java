package dev.dendrite.train;

import dev.dendrite.loss.Loss;
import dev.dendrite.loss.NonFiniteLossException;
import dev.dendrite.nn.Layer;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.Tensor;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimizer step of supervised training, as {@link Trainer} runs it: zero the gradients, predict, take the
 * loss (refusing a NaN or infinite one), backward, update. Forward, loss and backward run as one
 * {@link CompiledStep} (captured per batch shape, then replayed), unless {@code compiled} is false.
 */
public final class TrainStep implements AutoCloseable {
    private final Layer model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final CompiledStep step;

    /** @param predict the prediction from the features: the model itself, or the model with some glue around it */
    public TrainStep(Layer model, UnaryOperator<Tensor> predict, Loss loss, Optimizer optimizer, Rng rng,
            boolean compiled) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.step = new CompiledStep("training step", in -> {
            Tensor prediction = predict.apply(in[0]);
            return new Tensor[] {loss.compute(prediction, in[1]), prediction};
        }, rng, compiled, model::buffers);
    }

    public TrainStep(Layer model, Loss loss, Optimizer optimizer, Rng rng, boolean compiled) {
        this(model, model::forward, loss, optimizer, rng, compiled);
    }

    /**
     * One step on a batch; returns its loss.
     *
     * @throws NonFiniteLossException when the loss is NaN or infinite (nothing is updated then)
     */
    public double run(INDArray features, INDArray target) {
        optimizer.zeroGrad();
        Tensor[] out = step.forward(model.isTraining(), true, features, target);
        try {
            loss.requireFinite(out[0], out[1], Tensor.of(target));
        } catch (NonFiniteLossException e) {
            step.cancel();
            throw e;
        }
        double value = out[0].item();
        step.backward();
        optimizer.step();
        return value;
    }

    /** The compiled step's plans ({@link CompiledStep#explain()}). */
    public String explain() {
        return step.explain();
    }

    @Override
    public void close() {
        step.close();
    }
}
