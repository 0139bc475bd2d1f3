package dev.dendrite.optim;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bookkeeping every optimizer shares: the parameters by name, lazily created per-parameter slots
 * (momentum, moments, ...), step counts, and their save/restore. A subclass writes only its update rule.
 *
 * <p>Steps are counted per parameter, as PyTorch does: a parameter that gets no gradient on some step
 * is not updated and its own count (which drives bias correction, first-step rules, ...) does not move.
 */
public abstract class AbstractOptimizer implements Optimizer {
    private static final String STEP = "step";
    private static final String PARAM_STEP = "/" + STEP;
    private final Map<String, Tensor> params;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    private final Map<String, INDArray> scratch = new HashMap<>();
    private final Map<String, Long> paramSteps = new HashMap<>();
    private double lr;
    private long steps;

    protected AbstractOptimizer(Map<String, Tensor> parameters, double lr) {
        this.params = new LinkedHashMap<>(parameters);
        setLearningRate(lr);
    }

    /** Updates {@code param} in place from {@code grad}; {@code t} counts this parameter's updates from 1. */
    protected abstract void update(String name, INDArray param, INDArray grad, long t);

    @Override
    public final void step() {
        steps++;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            INDArray g = e.getValue().grad();
            if (g != null) {
                long t = paramSteps.merge(e.getKey(), 1L, Long::sum);
                update(e.getKey(), e.getValue().data(), g, t);
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
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new DendriteException(getClass().getSimpleName() + ": learning rate must be finite and >= 0, got "
                    + lr);
        }
        this.lr = lr;
    }

    /** The optimizer steps taken so far. */
    protected final long steps() {
        return steps;
    }

    /** The named per-parameter state array, zero-initialised like {@code param} on first use. */
    protected final INDArray slot(String paramName, String slot, INDArray param) {
        return slot(paramName, slot, param, 0.0);
    }

    /** The named per-parameter state array, filled with {@code initial} on first use. */
    protected final INDArray slot(String paramName, String slot, INDArray param, double initial) {
        return slots.computeIfAbsent(paramName + "/" + slot,
                k -> Nd4j.valueArrayOf(param.shape(), initial, param.dataType()));
    }

    /**
     * A working array shaped like {@code param}, kept between steps but not part of the state: an update rule
     * writes its intermediates here (with the in-place {@link dev.dendrite.tensor.Kernels} ops), so a step
     * allocates nothing. {@code k} tells several apart.
     */
    protected final INDArray scratch(String paramName, int k, INDArray param) {
        return scratch.computeIfAbsent(paramName + "#" + k,
                n -> Nd4j.createUninitialized(param.dataType(), param.shape()));
    }

    protected final boolean hasSlot(String paramName, String slot) {
        return slots.containsKey(paramName + "/" + slot);
    }

    @Override
    public final Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(STEP, Nd4j.scalar(steps));
        paramSteps.forEach((k, v) -> out.put(k + PARAM_STEP, Nd4j.scalar(v)));
        slots.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** All or nothing: a state that does not fit leaves the optimizer as it was. */
    @Override
    public final void loadState(Map<String, INDArray> state) {
        INDArray step = state.get(STEP);
        if (step == null || step.length() != 1 || step.getLong(0) < 0) {
            throw new DendriteException("optimizer state needs a scalar 'step' >= 0, got " + step);
        }
        Map<String, INDArray> loadedSlots = new LinkedHashMap<>();
        Map<String, Long> loadedSteps = new HashMap<>();
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
            INDArray v = e.getValue();
            if (key.endsWith(PARAM_STEP)) {
                if (v.length() != 1 || v.getLong(0) < 0) {
                    throw new DendriteException("optimizer state '" + key + "' must be a scalar >= 0");
                }
                loadedSteps.put(key.substring(0, slash), v.getLong(0));
                continue;
            }
            if (!Arrays.equals(p.shape(), v.shape())) {
                throw new DendriteException("optimizer state '" + key + "' has shape " + Shapes.str(v.shape())
                        + ", its parameter has " + Shapes.str(p.shape()));
            }
            loadedSlots.put(key, v.castTo(p.dtype()).dup());
        }
        slots.clear();
        slots.putAll(loadedSlots);
        paramSteps.clear();
        paramSteps.putAll(loadedSteps);
        steps = step.getLong(0);
    }
}
