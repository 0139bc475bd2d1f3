package dev.dendrite.testkit;

import dev.dendrite.inject.Registries;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.nn.Parameters;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plugin conformance kit: one line in a plugin's test holds a layer to the same bar as the built-in
 * ones.
 *
 * <pre>{@code
 * LayerConformance.of(new Dense.Provider()).config(new Dense.Config(4, 3, true, "xavier_uniform"))
 *         .input(2, 4).rejects(4).check();
 * }</pre>
 *
 * It checks: the config's JSON round trip and building from a spec; float64 finite-difference gradients
 * of every float input and parameter (training mode, with the random stream rewound so dropout masks
 * repeat; a NaN or infinity anywhere fails); the same seed giving bit-identical parameters and outputs;
 * parameters surviving a save to {@code .npy} and a load into a differently seeded layer, bit for bit; bad
 * input (a wrong rank, a mismatched dtype) raising a {@link ShapeException} that names the layer; and
 * agreement with ONNX Runtime, which needs onnx-bridge on the test classpath: without it the check fails
 * unless the author opts out with {@link #withoutOnnx(String)}. Failures are {@link AssertionError}s, so
 * any test framework reports them.
 */
public final class LayerConformance<C extends Record> {
    private final LayerProvider<C> provider;
    private C config;
    private final List<long[]> floatInputs = new ArrayList<>();
    private final List<long[]> indexInputs = new ArrayList<>();
    private final List<Long> indexBounds = new ArrayList<>();
    private final List<long[]> rejected = new ArrayList<>();
    private boolean anyRank;
    private double tolerance = GradCheck.TOLERANCE;
    private String withoutOnnx;

    private LayerConformance(LayerProvider<C> provider) {
        this.provider = provider;
        this.config = provider.defaultConfig();
    }

    public static <C extends Record> LayerConformance<C> of(LayerProvider<C> provider) {
        return new LayerConformance<>(provider);
    }

    public LayerConformance<C> config(C c) {
        this.config = c;
        return this;
    }

    /** A float input of this shape (several calls: a multi-input layer, in order). */
    public LayerConformance<C> input(long... shape) {
        floatInputs.add(shape);
        return this;
    }

    /** An int64 input of this shape with values in [0, bound), e.g. token ids; not gradient-checked. */
    public LayerConformance<C> indexInput(long bound, long... shape) {
        indexInputs.add(shape);
        indexBounds.add(bound);
        return this;
    }

    /** An input shape the layer must refuse with a ShapeException naming it (use for a wrong rank). */
    public LayerConformance<C> rejects(long... shape) {
        rejected.add(shape);
        return this;
    }

    /** Declares that the layer accepts every rank (elementwise layers), so no rank can be rejected. */
    public LayerConformance<C> anyRank() {
        anyRank = true;
        return this;
    }

    public LayerConformance<C> tolerance(double t) {
        this.tolerance = t;
        return this;
    }

    /**
     * Skips the ONNX Runtime agreement on purpose, e.g. for a layer that cannot be exported; the reason is
     * reported in {@link Report#onnx()}. Without this, a missing onnx-bridge fails the kit rather than
     * passing with the check silently not run.
     */
    public LayerConformance<C> withoutOnnx(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException(provider.id() + ": withoutOnnx needs a reason");
        }
        this.withoutOnnx = reason;
        return this;
    }

    /**
     * What the kit measured. {@code compiled}: how the compiled step ran the layer ({@link CompiledStep#explain()}:
     * its native calls and unit nodes, or why it stayed eager); its results were bit-identical to eager either way.
     */
    public record Report(String layer, GradCheck.Result gradients, String onnx, String compiled) {}

    public Report check() {
        String id = provider.id();
        if (floatInputs.isEmpty() && indexInputs.isEmpty()) {
            throw new IllegalArgumentException(id + ": give the kit at least one input shape");
        }
        if (rejected.isEmpty() && !anyRank) {
            throw new IllegalArgumentException(id + ": declare a wrong input shape with rejects(...), or anyRank()"
                    + " for a layer that takes every rank");
        }
        checkConfigRoundTrip(id);

        // Gradients, in float64 and training mode.
        Rng rng = new Rng(7);
        Layer layer = build(rng, DataType.DOUBLE);
        layer.train(true);
        Tensor[] inputs = inputs(DataType.DOUBLE, 11, true);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        for (int i = 0; i < floatInputs.size(); i++) {
            leaves.put("input" + i, inputs[i]);
        }
        leaves.putAll(layer.parameters());
        long rewind = rng.state();
        GradCheck.Result grads = GradCheck.check(id, leaves, () -> {
            rng.restore(rewind);
            return layer.forward(inputs);
        }, tolerance);

        checkDeterminism(id);
        checkSaveLoad(id);
        checkBadInput(id);
        String compiled = checkCompiled(id);
        return new Report(id, grads, onnx(id), compiled);
    }

    private void checkConfigRoundTrip(String id) {
        C back = Json.config(provider, Json.toTree(config));
        if (!back.equals(config)) {
            throw new AssertionError(id + ": config does not survive JSON: " + config + " came back as " + back);
        }
        LayerSpec spec = Json.read(Json.write(LayerSpec.of(id, config)), LayerSpec.class);
        LayerContext ctx = context(new Rng(1), DataType.DOUBLE);
        Layer fromSpec = ctx.build(spec);
        if (!fromSpec.kind().equals(id)) {
            throw new AssertionError(id + ": a spec of type '" + id + "' built a layer of kind '" + fromSpec.kind()
                    + "'");
        }
    }

    private void checkDeterminism(String id) {
        Layer a = build(new Rng(3), DataType.DOUBLE);
        Layer b = build(new Rng(3), DataType.DOUBLE);
        requireSame(id, "two layers built with the same seed", Parameters.snapshot(a), Parameters.snapshot(b));
        a.train(true);
        b.train(true);
        INDArray ya = run(a, inputs(DataType.DOUBLE, 5, false));
        INDArray yb = run(b, inputs(DataType.DOUBLE, 5, false));
        Compare.assertBitEqual(id + ": same seed, same input, outputs", ya, yb);
    }

    /**
     * The same layer twice from one seed, trained a few steps on the same inputs, one eagerly and one through a
     * {@link CompiledStep} (captured, verified, then replayed): outputs, gradients, parameters after each update
     * and buffers must be bit-identical, in training mode (dropout masks included) and in evaluation mode.
     */
    private String checkCompiled(String id) {
        Rng ra = new Rng(21);
        Rng rb = new Rng(21);
        Layer eager = build(ra, DataType.DOUBLE);
        Layer compiled = build(rb, DataType.DOUBLE);
        boolean learns = !eager.parameters().isEmpty();
        Tensor[] probe = inputs(DataType.DOUBLE, 30, false);
        // The output's shape from a third copy in eval mode: the two under test must not draw from their streams.
        Layer shaper = build(new Rng(21), DataType.DOUBLE);
        shaper.train(false);
        INDArray weights = Init.normal(new Rng(99), DataType.DOUBLE, 0, 1, run(shaper, probe).shape());
        try (CompiledStep step = new CompiledStep(id, in -> {
            Tensor y = compiled.forward(in);
            return new Tensor[] {F.sum(F.mul(y, Tensor.of(weights)), false), y};
        }, rb, true, compiled::buffers)) {
            for (boolean training : new boolean[] {true, false}) {
                eager.train(training);
                compiled.train(training);
                boolean backward = training && learns;
                for (int s = 0; s < 4; s++) {
                    Tensor[] x = inputs(DataType.DOUBLE, 31 + s, false);
                    String at = id + ", " + (training ? "training" : "evaluation") + " step " + (s + 1) + ": compiled vs eager, ";
                    INDArray[] arrays = java.util.Arrays.stream(x).map(Tensor::data).toArray(INDArray[]::new);
                    try (var grad = backward ? GradMode.on() : GradMode.off()) {
                        Tensor ye = eager.forward(x);
                        Tensor[] yc = step.forward(training, backward, arrays);
                        Compare.assertBitEqual(at + "output", yc[1].data(), ye.data());
                        if (backward) {
                            F.sum(F.mul(ye, Tensor.of(weights)), false).backward();
                            step.backward();
                            for (String p : eager.parameters().keySet()) {
                                Tensor pe = eager.parameters().get(p);
                                Tensor pc = compiled.parameters().get(p);
                                if (pe.grad() == null || pc.grad() == null) {
                                    if (pe.grad() != pc.grad()) {
                                        throw new AssertionError(at + "gradient of '" + p + "' is missing on one side");
                                    }
                                    continue;
                                }
                                Compare.assertBitEqual(at + "gradient of '" + p + "'", pc.grad(), pe.grad());
                                sgd(pe);
                                sgd(pc);
                                Compare.assertBitEqual(at + "'" + p + "' after an update", pc.data(), pe.data());
                            }
                        }
                    }
                    requireSame(id, at + "buffers", compiled.buffers(), eager.buffers());
                }
            }
            return step.explain();
        }
    }

    /** p −= 0.1·g in place (the kit's own optimizer: core-api has no concrete one), then the gradient is cleared. */
    private static void sgd(Tensor p) {
        Kernels.axpy(p.data(), -0.1, p.grad(), p.data());
        p.zeroGrad();
    }

    private void checkSaveLoad(String id) {
        Layer a = build(new Rng(3), DataType.DOUBLE);
        byte[] saved = NpyArchive.toBytes(Parameters.snapshot(a));
        Layer b = build(new Rng(4), DataType.DOUBLE);
        Parameters.load(b, NpyArchive.read(new ByteArrayInputStream(saved), "conformance"), "conformance");
        a.train(false);
        b.train(false);
        Tensor[] x = inputs(DataType.DOUBLE, 9, false);
        Compare.assertBitEqual(id + ": outputs after saving parameters to .npy and loading them into a new layer",
                run(b, x), run(a, x));
    }

    private void checkBadInput(String id) {
        for (long[] shape : rejected) {
            Layer layer = build(new Rng(3), DataType.DOUBLE);
            Tensor[] x = inputs(DataType.DOUBLE, 1, false);
            x[0] = floatInputs.isEmpty()
                    ? Tensor.of(Nd4j.zeros(DataType.INT64, shape))
                    : Tensor.of(Nd4j.zeros(DataType.DOUBLE, shape));
            expectShapeError(id, layer, x, "input of shape " + Shapes.str(shape), Shapes.str(shape));
        }
        Layer layer = build(new Rng(3), DataType.DOUBLE);
        if (!layer.parameters().isEmpty() && !floatInputs.isEmpty()) {
            Tensor[] x = inputs(DataType.FLOAT, 1, false);
            expectShapeError(id, layer, x, "a float32 input to a float64 layer", "FLOAT");
        }
        if (!indexInputs.isEmpty()) {
            Tensor[] x = inputs(DataType.DOUBLE, 1, false);
            int slot = floatInputs.size();
            x[slot] = Tensor.of(x[slot].data().castTo(DataType.DOUBLE));
            expectShapeError(id, layer, x, "float values where integer ids belong", "DOUBLE");
        }
    }

    private static void expectShapeError(String id, Layer layer, Tensor[] x, String what, String mustMention) {
        try (var off = GradMode.off()) {
            layer.forward(x);
        } catch (ShapeException e) {
            String m = e.getMessage();
            if (!m.contains(id) || !m.contains(mustMention)) {
                throw new AssertionError(id + ": the error for " + what + " must name the layer and mention "
                        + mustMention + ", got: " + m);
            }
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(id + ": " + what + " must raise a ShapeException, got " + e, e);
        }
        throw new AssertionError(id + ": " + what + " was accepted");
    }

    private String onnx(String id) {
        Optional<OnnxAgreement> agreement = ServiceLoader.load(OnnxAgreement.class).findFirst();
        if (withoutOnnx != null) {
            return "skipped: " + withoutOnnx;
        }
        if (agreement.isEmpty()) {
            throw new AssertionError(id + ": ONNX agreement not run: add dendrite-onnx-bridge in test scope (or "
                    + "opt out with withoutOnnx(\"reason\"))");
        }
        Layer layer = build(new Rng(3), DataType.FLOAT);
        layer.train(false);
        double diff = agreement.get().check(layer, inputs(DataType.FLOAT, 13, false));
        return "max abs diff vs ONNX Runtime " + diff;
    }

    private Layer build(Rng rng, DataType type) {
        return provider.create(config, context(rng, type));
    }

    /** The provider's own class loader sees it and the built-ins, also when it came from a dropped jar. */
    private LayerContext context(Rng rng, DataType type) {
        return new LayerContext(type, rng, Registries.discover(provider.getClass().getClassLoader()).layers());
    }

    private Tensor[] inputs(DataType type, long seed, boolean leaves) {
        Rng rng = new Rng(seed);
        Tensor[] xs = new Tensor[floatInputs.size() + indexInputs.size()];
        for (int i = 0; i < floatInputs.size(); i++) {
            INDArray a = Init.normal(rng, type, 0, 1, floatInputs.get(i));
            xs[i] = leaves ? Tensor.leaf(a) : Tensor.of(a);
        }
        for (int i = 0; i < indexInputs.size(); i++) {
            long[] shape = indexInputs.get(i);
            long[] values = new long[(int) Shapes.numel(shape)];
            for (int j = 0; j < values.length; j++) {
                values[j] = rng.nextInt((int) (long) indexBounds.get(i));
            }
            xs[floatInputs.size() + i] = Tensor.of(Nd4j.createFromArray(values).reshape(shape));
        }
        return xs;
    }

    private static INDArray run(Layer layer, Tensor[] x) {
        try (var off = GradMode.off()) {
            return layer.forward(x).data();
        }
    }

    private static void requireSame(String id, String what, Map<String, INDArray> a, Map<String, INDArray> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new AssertionError(id + ": " + what + " have different parameter names " + a.keySet() + " vs "
                    + b.keySet());
        }
        for (String k : a.keySet()) {
            Compare.assertBitEqual(id + ": " + what + ", '" + k + "'", a.get(k), b.get(k));
        }
    }
}
