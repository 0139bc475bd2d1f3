package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Module;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.tensor.Trace;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ONNX graph as a Dendrite model: every forward runs the nodes, in topological order, through their
 * converters' primitives, so gradients flow to the weights and the model trains, checkpoints and exports
 * like any other. Float initializers are parameters (or buffers, where a converter says they hold state)
 * under their ONNX names; other initializers are constants.
 */
public final class ImportedModel extends Module {
    public static final String KIND = "onnx";

    /** The random stream the model's ops draw seeds from; {@link #randomStream} rebinds it. */
    static final class Seeds implements java.util.function.LongSupplier {
        private Rng rng = new Rng(0);

        @Override
        public long getAsLong() {
            return rng.nextLong();
        }
    }

    /**
     * One node, resolved at import: its converter and its op in both modes; {@code then}, an activation fused
     * into it ({@link ClampFusion}), or null.
     */
    record Step(OnnxConverter converter, OnnxOp eval, OnnxOp train, String[] inputs, String[] outputs, Step then) {
        Step(OnnxConverter converter, OnnxOp eval, OnnxOp train, String[] inputs, String[] outputs) {
            this(converter, eval, train, inputs, outputs, null);
        }

        Step then(Step activation) {
            return new Step(converter, eval, train, inputs, outputs, activation);
        }
    }

    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;
    private final List<Step> steps;
    private final Map<String, INDArray> constants;
    /** ONNX initializer name -> the parameter tensor (trainable) or buffer array (state). */
    private final Map<String, Tensor> weights = new HashMap<>();
    private final Map<String, INDArray> state = new HashMap<>();
    private final int opset;
    private final Seeds seeds;
    /** Per step, whether it computes a constant of the input shapes ({@link ShapeFolding}). */
    private final boolean[] folds;
    /** Folded steps' outputs per signature (input shapes and dtypes, mode), the most recent few. */
    private final Map<List<Object>, Map<String, INDArray>> folded = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Object>, Map<String, INDArray>> e) {
                    return size() > 8;
                }
            });

    ImportedModel(List<ValueSpec> inputs, List<ValueSpec> outputs, List<Step> steps, Map<String, INDArray> floats,
            java.util.Set<String> stateNames, Map<String, INDArray> constants, int opset, Seeds seeds) {
        super(KIND);
        this.seeds = seeds;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.steps = List.copyOf(steps);
        this.constants = Map.copyOf(constants);
        this.opset = opset;
        this.folds = ShapeFolding.foldable(this.steps, constants.keySet());
        ParameterTree tree = child("graph", new ParameterTree());
        floats.forEach((name, value) -> {
            boolean trainable = !stateNames.contains(name);
            if (!tree.add(name, value, trainable)) {
                // Not a usable path (empty segment, clash): keep it flat, dots replaced.
                String flat = unique(tree, name.replace('.', '_'));
                tree.add(flat, value, trainable);
            }
        });
        // Map ONNX names back to what the tree holds, by identity of the arrays registered above.
        Map<INDArray, String> byArray = new java.util.IdentityHashMap<>();
        floats.forEach((name, value) -> byArray.put(value, name));
        parameters().forEach((k, t) -> weights.put(byArray.get(t.data()), t));
        buffers().forEach((k, a) -> state.put(byArray.get(a), a));
    }

    private static String unique(ParameterTree tree, String base) {
        String name = base.isEmpty() ? "weight" : base;
        java.util.Set<String> taken = new java.util.HashSet<>(tree.parameters().keySet());
        taken.addAll(tree.buffers().keySet());
        for (int i = 1; taken.contains(name) || name.startsWith("."); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /**
     * Draws the seeds of random ops (Dropout in training) from {@code rng}, the run's stream, so that a seeded
     * fine-tuning run repeats exactly; until called, a fixed stream (seed 0).
     */
    public void randomStream(Rng rng) {
        seeds.rng = rng;
    }

    public List<ValueSpec> inputs() {
        return inputs;
    }

    public List<ValueSpec> outputs() {
        return outputs;
    }

    /** The ai.onnx opset the file was written for. */
    public int opset() {
        return opset;
    }

    /** The trainable tensor behind an ONNX initializer name, or null. */
    public Tensor weight(String onnxName) {
        return weights.get(onnxName);
    }

    /** ONNX initializer names of the trainable weights. */
    public java.util.Set<String> weightNames() {
        return java.util.Collections.unmodifiableSet(weights.keySet());
    }

    @Override
    protected Tensor call(Tensor[] xs) {
        return run(xs)[0];
    }

    /** Runs the graph; returns every graph output, in order. */
    public Tensor[] run(Tensor... xs) {
        return run(Map.of(), xs);
    }

    /** ONNX names of the initializers held as state (buffers), e.g. BatchNormalization's running statistics. */
    public java.util.Set<String> stateNames() {
        return java.util.Collections.unmodifiableSet(state.keySet());
    }

    /** The current value of a state initializer, or null. */
    public INDArray state(String onnxName) {
        return state.get(onnxName);
    }

    /**
     * Runs the graph with some initializers bound to the given tensors instead of their own values: how a
     * caller differentiates with respect to state (bind a leaf over the buffer) without making it trainable.
     */
    public Tensor[] run(Map<String, Tensor> bound, Tensor... xs) {
        if (xs.length != inputs.size()) {
            throw new ShapeException("the model takes " + inputs.size() + " input(s) " + inputs + ", got "
                    + xs.length);
        }
        Map<String, Tensor> env = new HashMap<>(weights);
        state.forEach((name, a) -> env.put(name, Tensor.of(a)));
        constants.forEach((name, a) -> env.put(name, Tensor.of(a)));
        env.putAll(bound);
        for (int i = 0; i < xs.length; i++) {
            check(inputs.get(i), xs[i]);
            env.put(inputs.get(i).name(), xs[i]);
        }
        boolean training = isTraining();
        // An export traces every step, so that what it writes does not depend on earlier runs.
        List<Object> signature = bound.isEmpty() && !Trace.active() ? signature(xs, training) : null;
        Map<String, INDArray> known = signature == null ? null : folded.get(signature);
        Map<String, INDArray> made = signature != null && known == null ? new HashMap<>() : null;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            OnnxOp op = training ? s.train() : s.eval();
            if (folds[i] && known != null) {
                for (String name : s.outputs()) {
                    if (!name.isEmpty()) {
                        env.put(name, Tensor.of(known.get(name)));
                    }
                }
            } else if (folds[i] && made != null) {
                bind(s, op, CompiledStep.constantFor(() -> convert(s, op, inputs(s, env))), env);
                for (String name : s.outputs()) {
                    if (!name.isEmpty()) {
                        made.put(name, env.get(name).data());
                    }
                }
            } else if (s.then() == null) {
                bind(s, op, convert(s, op, inputs(s, env)), env);
            } else {
                runFused(s, op, training ? s.then().train() : s.then().eval(), env);
            }
        }
        if (made != null) {
            folded.put(signature, made);
        }
        Tensor[] result = new Tensor[outputs.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = env.get(outputs.get(i).name());
        }
        return result;
    }

    /**
     * A step with an activation fused into it: one call with the activation's clamp when it is one for these
     * inputs (its bounds are values), else the two as imported.
     */
    private static void runFused(Step s, OnnxOp op, OnnxOp aop, Map<String, Tensor> env) {
        Step a = s.then();
        Tensor[] ain = inputs(a, env);
        Clamp clamp = a.converter().asClamp(aop, ain);
        if (clamp != null) {
            bind(a, aop, convert(s, op.withClamp(clamp), inputs(s, env)), env);
        } else {
            bind(s, op, convert(s, op, inputs(s, env)), env);
            ain[0] = env.get(a.inputs()[0]);
            bind(a, aop, convert(a, aop, ain), env);
        }
    }

    /** What folded values depend on: the inputs' shapes and dtypes, and the mode. */
    private static List<Object> signature(Tensor[] xs, boolean training) {
        List<Object> key = new java.util.ArrayList<>();
        key.add(training);
        for (Tensor x : xs) {
            key.add(x.dtype());
            key.add(java.util.Arrays.stream(x.shape()).boxed().toList());
        }
        return key;
    }

    /** The step's inputs from the environment; null for an omitted one or (for a fused activation) not yet made. */
    private static Tensor[] inputs(Step s, Map<String, Tensor> env) {
        Tensor[] in = new Tensor[s.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = s.inputs()[i].isEmpty() ? null : env.get(s.inputs()[i]);
        }
        return in;
    }

    /** Puts the step's outputs into the environment under their names. */
    private static void bind(Step s, OnnxOp op, Tensor[] out, Map<String, Tensor> env) {
        for (int i = 0; i < s.outputs().length; i++) {
            String name = s.outputs()[i];
            if (name.isEmpty()) {
                continue;
            }
            if (i >= out.length || out[i] == null) {
                throw op.error("produced no value for output " + i + " ('" + name + "')");
            }
            env.put(name, out[i]);
        }
    }

    private static Tensor[] convert(Step s, OnnxOp op, Tensor[] in) {
        try {
            return s.converter().convert(op, in);
        } catch (OnnxImportException e) {
            throw e;
        } catch (DendriteException e) {
            // A primitive refused the values (shape, dtype): say which node fed them.
            throw new OnnxImportException(op.error(e.getMessage()).getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException
                | IndexOutOfBoundsException | ArithmeticException e) {
            throw new OnnxImportException(op.error(e.toString()).getMessage(), e);
        }
    }

    private static void check(ValueSpec spec, Tensor x) {
        if (spec.type() != null && x.dtype() != spec.type()) {
            throw new ShapeException("input '" + spec.name() + "' must be " + spec.type().name().toLowerCase()
                    + ", got " + x.dtype().name().toLowerCase());
        }
        long[] dims = spec.dims();
        if (dims == null) {
            return;
        }
        long[] shape = x.shape();
        boolean ok = shape.length == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 || dims[i] == shape[i];
        }
        if (!ok) {
            throw new ShapeException("input '" + spec.name() + "' must have shape " + spec + ", got "
                    + Arrays.toString(shape));
        }
    }
}
