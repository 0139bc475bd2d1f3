package dev.dendrite.optim;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bookkeeping every optimizer shares: the parameters by name, lazily created per-parameter slots
 * (momentum, moments, ...), the step count, and their save/restore. A subclass writes only its update rule.
 */
public abstract class AbstractOptimizer implements Optimizer {
    private static final String STEP = "step";
    private final Map<String, Tensor> params;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    private double lr;
    private long steps;

    protected AbstractOptimizer(Map<String, Tensor> parameters, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new DendriteException(getClass().getSimpleName() + ": learning rate must be >= 0, got " + lr);
        }
        this.params = new LinkedHashMap<>(parameters);
        this.lr = lr;
    }

    /** Updates {@code param} in place from {@code grad}; {@code t} counts steps from 1. */
    protected abstract void update(String name, INDArray param, INDArray grad, long t);

    @Override
    public final void step() {
        steps++;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            INDArray g = e.getValue().grad();
            if (g != null) {
                update(e.getKey(), e.getValue().data(), g, steps);
            }
        }
    }

    @Override
    public final void zeroGrad() {
        params.values().forEach(Tensor::zeroGrad);
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        this.lr = lr;
    }

    /** The steps taken so far. */
    protected final long steps() {
        return steps;
    }

    /** The named per-parameter state array, zero-initialised like {@code param} on first use. */
    protected final INDArray slot(String paramName, String slot, INDArray param) {
        return slots.computeIfAbsent(paramName + "/" + slot, k -> Nd4j.zeros(param.dataType(), param.shape()));
    }

    @Override
    public final Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(STEP, Nd4j.scalar(steps));
        slots.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    @Override
    public final void loadState(Map<String, INDArray> state) {
        Map<String, INDArray> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals(STEP)) {
                continue;
            }
            int slash = key.lastIndexOf('/');
            Tensor p = slash < 0 ? null : params.get(key.substring(0, slash));
            if (p == null) {
                throw new DendriteException("optimizer state '" + key + "' belongs to no parameter of this model");
            }
            if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                throw new DendriteException("optimizer state '" + key + "' has shape " + Shapes.str(e.getValue().shape())
                        + ", its parameter has " + Shapes.str(p.shape()));
            }
            loaded.put(key, e.getValue().castTo(p.dtype()).dup());
        }
        INDArray step = state.get(STEP);
        if (step == null) {
            throw new DendriteException("optimizer state has no 'step' entry");
        }
        slots.clear();
        slots.putAll(loaded);
        steps = step.getLong(0);
    }
}
