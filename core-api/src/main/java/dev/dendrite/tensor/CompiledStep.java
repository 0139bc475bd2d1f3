package dev.dendrite.tensor;

import dev.dendrite.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A step of a define-by-run model (forward, loss, and backward), captured once per input signature and then
 * replayed as a static {@link Plan}: what CUDA graphs, {@code torch.compile} and tinygrad's {@code TinyJit}
 * do, with the engine's own primitives.
 *
 * <p>Per signature (input shapes and dtypes, the caller's mode, grad mode, with or without backward):
 * <ol>
 *   <li>the first call runs eagerly and records every primitive and native call (a {@link Capture});</li>
 *   <li>the second call runs eagerly too, and the plan built from the first is replayed on the same inputs,
 *       from the same random state, and compared with it <em>bit for bit</em>: every node's outputs and
 *       gradients, the step's outputs, every leaf's gradient and every buffer the step touches. A node that
 *       differs (work outside {@link Kernels}, or values read on the host) becomes a unit, replayed by
 *       running its primitive again; anything else that differs (constants built from the data by layer code,
 *       random numbers drawn outside random primitives) keeps the signature eager, logged once with the
 *       reason;</li>
 *   <li>later calls replay: inputs are copied into the plan, seeds for random ops are drawn from the run's
 *       stream in eager's order, and the bound native calls run over planned memory.</li>
 * </ol>
 * So compiled and eager runs are bit-identical: a plan that is not is never used.
 *
 * <p>Outputs of a replayed call, and the gradients it hands to leaves, live in the plan's memory: they are
 * valid until the next call of this step. A step is used from one thread at a time. Leaves must have no
 * gradient when a step with backward starts (zero them, as every training loop does); a call where they do
 * runs eagerly.
 */
public final class CompiledStep implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.dendrite.compile");
    /** Signatures kept per step by default: a training loop has two (full and last batch). */
    private static final int DEFAULT_PLANS = 4;
    /** Nodes turned into units before a signature gives up and stays eager. */
    private static final int MAX_UNITS = 16;

    /** The step itself: model, loss, whatever the caller writes, on tensors. */
    @FunctionalInterface
    public interface Body {
        Tensor[] apply(Tensor[] inputs);
    }

    private final String name;
    private final Body body;
    private final Rng rng;
    private final boolean enabled;
    private final Supplier<Map<String, INDArray>> state;
    private final int maxPlans;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(8, 0.75f, true);
    /** The call whose backward is pending. */
    private Entry current;
    private Tensor[] eagerOutputs;
    private long[] seeds;
    private boolean[] inputGrads;
    /** The last call's input tensors that collect gradients (null where none was asked for). */
    private Tensor[] lastInputs;

    /**
     * @param name what the step is, in messages and {@link #explain()}
     * @param rng the run's random stream, which random primitives are seeded from
     * @param enabled false: every call runs eagerly (the {@code --eager} switch)
     * @param state buffers the step may change (a model's running statistics), compared during verification
     */
    public CompiledStep(String name, Body body, Rng rng, boolean enabled, Supplier<Map<String, INDArray>> state) {
        this(name, body, rng, enabled, state, DEFAULT_PLANS);
    }

    /** @param plans input signatures whose plans are kept (least recently used ones are dropped beyond it) */
    public CompiledStep(String name, Body body, Rng rng, boolean enabled, Supplier<Map<String, INDArray>> state,
            int plans) {
        this.maxPlans = plans;
        this.name = name;
        this.body = body;
        this.rng = rng;
        this.enabled = enabled;
        this.state = state;
    }

    /**
     * Runs the forward part. {@code mode} is whatever else the body's result depends on (e.g. the model's
     * training flag); {@code withBackward} says whether {@link #backward()} will follow (then output 0 is the
     * scalar to differentiate).
     */
    public Tensor[] forward(Object mode, boolean withBackward, INDArray... inputs) {
        return forward(mode, withBackward, new boolean[inputs.length], inputs);
    }

    /**
     * As {@link #forward(Object, boolean, INDArray...)}, where {@code inputGrads[k]} asks for the gradient of
     * input k ({@link #inputGradient} after the backward): a step whose input is another step's output (a GAN's
     * generated images) passes that gradient on.
     */
    public Tensor[] forward(Object mode, boolean withBackward, boolean[] inputGrads, INDArray... inputs) {
        if (current != null) {
            throw new IllegalStateException(name + ": forward called again before backward");
        }
        if (inputGrads.length != inputs.length) {
            throw new IllegalArgumentException(name + ": " + inputGrads.length + " input-gradient flags for "
                    + inputs.length + " inputs");
        }
        this.inputGrads = inputGrads.clone();
        Key key = new Key(mode, withBackward, GradMode.isEnabled(), signature(inputs) + flags(inputGrads));
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(key);
            entries.put(key, e);
            evict();
        }
        if (!enabled || Capture.active() != null) {
            return eager(e, inputs);
        }
        return switch (e.stage) {
            case NEW -> captureFirst(e, inputs);
            case CAPTURED -> captureSecond(e, inputs);
            case REPLAY -> replay(e, inputs);
            case EAGER -> eager(e, inputs);
        };
    }

    /** Backward from output 0 of the last forward, a scalar (seeded with 1), filling every leaf's gradient. */
    public void backward() {
        backward(null);
    }

    /**
     * Backward from output 0 of the last forward with {@code seed} as its gradient (its shape; null: 1 for a
     * scalar). The seeded and the unseeded forms of a signature are captured separately.
     */
    public void backward(INDArray seed) {
        Entry e = current;
        if (e == null) {
            throw new IllegalStateException(name + ": backward without a forward that asked for it");
        }
        current = null;
        if (e.seeded == null) {
            e.seeded = seed != null;
        } else if (e.seeded != (seed != null)) {
            // A signature captured with (or without) a seed replays only that way: this call runs eagerly.
            e.running = e.running == Running.REPLAY ? Running.REPLAY_MISMATCH : e.running;
        }
        switch (e.running) {
            case FIRST -> {
                recordBackward(e.first, seed);
                finishFirst(e, e.first);
            }
            case SECOND -> {
                recordBackward(e.second, seed);
                verify(e);
            }
            case REPLAY -> e.plan.backward(seeds, seed);
            case REPLAY_MISMATCH -> throw new IllegalStateException(name + ": this signature was captured "
                    + (e.seeded ? "with" : "without") + " a backward seed; call backward the same way every time");
            case EAGER -> eagerBackward(seed);
        }
        eagerOutputs = null;
    }

    /** The eager backward, recorded into the capture its forward started; the seed is copied first, unrecorded. */
    private void recordBackward(Recording r, INDArray seed) {
        r.seed = seed == null ? null : Kernels.copy(seed);
        r.capture.resume();
        try {
            eagerBackward(r.seed);
        } finally {
            r.capture.close();
        }
    }

    private void eagerBackward(INDArray seed) {
        if (seed == null) {
            eagerOutputs[0].backward();
        } else {
            eagerOutputs[0].backward(seed);
        }
    }

    /** The gradient of input {@code k} after the last backward (the forward asked for it), or null. */
    public INDArray inputGradient(int k) {
        return lastInputs == null || lastInputs[k] == null ? null : lastInputs[k].grad();
    }

    /** Forgets a forward whose backward will not come (the caller is throwing). */
    public void cancel() {
        if (current != null && current.running == Running.FIRST) {
            current.first.capture.close();
            current.first = null;
            current.stage = Stage.NEW;
        } else if (current != null && current.running == Running.SECOND) {
            current.second.capture.close();
            current.second = null;
            current.stage = Stage.CAPTURED;
        }
        current = null;
        eagerOutputs = null;
    }

    private enum Stage { NEW, CAPTURED, REPLAY, EAGER }

    private enum Running { FIRST, SECOND, REPLAY, REPLAY_MISMATCH, EAGER }

    private record Key(Object mode, boolean backward, boolean grad, String signature) {}

    /** One eager call recorded: what went in, what came out, the random state around it. */
    private static final class Recording {
        Capture capture;
        INDArray[] inputs;
        /** The leaves made for inputs whose gradient was asked for (null elsewhere). */
        Tensor[] inputLeaves;
        INDArray seed;
        Tensor[] outputs;
        long rngBefore;
        long drawsBefore;
        List<Tensor> leaves = List.of();
        INDArray[] leafGrads = new INDArray[0];
    }

    private static final class Entry {
        final Key key;
        Stage stage = Stage.NEW;
        Running running;
        Recording first;
        Recording second;
        /** Persistent arrays as they were before the second call, and after it. */
        List<INDArray> watched;
        List<INDArray> before;
        List<INDArray> afterB;
        Plan plan;
        List<Integer> units = new ArrayList<>();
        String reason;
        boolean warnedUnzeroed;
        /** Whether this signature's backward takes a seed (known after its first backward). */
        Boolean seeded;

        Entry(Key key) {
            this.key = key;
        }
    }

    private Tensor[] eager(Entry e, INDArray[] inputs) {
        Tensor[] in = wrap(inputs, inputGrads);
        lastInputs = in;
        Tensor[] out = body.apply(in);
        return pending(e, Running.EAGER, out);
    }

    private Tensor[] pending(Entry e, Running how, Tensor[] out) {
        if (e.key.backward()) {
            e.running = how;
            current = e;
            eagerOutputs = out;
        }
        return out;
    }

    private Recording record(INDArray[] inputs) {
        Recording r = new Recording();
        r.inputs = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            r.inputs[i] = Kernels.copy(inputs[i]);
        }
        r.rngBefore = rng.state();
        r.drawsBefore = rng.draws();
        Tensor[] in = wrap(r.inputs, inputGrads);
        r.inputLeaves = in;
        lastInputs = in;
        r.capture = Capture.start();
        boolean ok = false;
        try {
            r.outputs = body.apply(in);
            ok = true;
        } finally {
            if (!ok) {
                r.capture.close();
            }
        }
        r.capture.pause();
        return r;
    }

    private Tensor[] captureFirst(Entry e, INDArray[] inputs) {
        Recording r = record(inputs);
        e.first = r;
        if (e.key.backward()) {
            return pending(e, Running.FIRST, r.outputs);
        }
        r.capture.close();
        finishFirst(e, r);
        return r.outputs;
    }

    private void finishFirst(Entry e, Recording r) {
        leaves(e, r);
        String random = checkSeeds(r);
        if (random != null) {
            giveUp(e, random);
            return;
        }
        e.stage = Stage.CAPTURED;
    }

    private Tensor[] captureSecond(Entry e, INDArray[] inputs) {
        e.plan = build(e, false);
        e.watched = watched(e.plan, e.first);
        e.before = snapshot(e.watched);
        Recording r = record(inputs);
        e.second = r;
        if (e.key.backward()) {
            return pending(e, Running.SECOND, r.outputs);
        }
        r.capture.close();
        verify(e);
        return r.outputs;
    }

    private Tensor[] replay(Entry e, INDArray[] inputs) {
        lastInputs = e.first.inputLeaves;
        if (e.key.backward()) {
            for (Tensor leaf : e.first.leaves) {
                if (leaf.grad() != null && !isInput(e.first, leaf)) {
                    if (!e.warnedUnzeroed) {
                        e.warnedUnzeroed = true;
                        LOG.log(System.Logger.Level.WARNING, name + ": a leaf still holds a gradient at the start of "
                                + "the step; such calls run eagerly (zero the gradients before each step)");
                    }
                    return eager(e, inputs);
                }
            }
        }
        seeds = new long[e.plan.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = rng.nextLong();
        }
        Tensor[] out = wrap(e.plan.forward(inputs, seeds), null);
        return pending(e, Running.REPLAY, out);
    }

    private static boolean isInput(Recording r, Tensor t) {
        for (Tensor in : r.inputLeaves) {
            if (in == t && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Leaves that received a gradient, in the order the step first used them, and those gradients; none for a
     * step without backward (whatever gradients earlier steps left on its parameters).
     */
    private static void leaves(Entry e, Recording r) {
        List<Tensor> leaves = new ArrayList<>();
        if (!e.key.backward()) {
            r.leaves = leaves;
            r.leafGrads = new INDArray[0];
            return;
        }
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Capture.NodeRecord n : r.capture.nodes) {
            for (Tensor t : n.tensors) {
                if (t.isLeaf() && t.requiresGrad() && t.grad() != null && seen.add(t)) {
                    leaves.add(t);
                }
            }
        }
        r.leaves = leaves;
        r.leafGrads = leaves.stream().map(Tensor::grad).toArray(INDArray[]::new);
    }

    /** Random ops must be seeded straight from the run's stream, one draw each, in order: then replay can draw. */
    private String checkSeeds(Recording r) {
        List<Long> seen = new ArrayList<>();
        for (Capture.Call c : r.capture.calls) {
            if (c.seed() != null && !seen.contains(c.seed())) {
                seen.add(c.seed());
            }
        }
        long draws = rng.draws() - r.drawsBefore;
        if (draws != seen.size()) {
            return "the step draws " + draws + " numbers from the random stream but its random primitives use "
                    + seen.size() + " seeds (randomness outside primitives)";
        }
        Rng again = new Rng(r.rngBefore);
        for (long s : seen) {
            if (again.nextLong() != s) {
                return "a random primitive is not seeded with a number drawn straight from the run's stream";
            }
        }
        return null;
    }

    private Plan build(Entry e, boolean share) {
        Recording r = e.first;
        INDArray[] outs = Arrays.stream(r.outputs).map(Tensor::data).toArray(INDArray[]::new);
        return new Plan(r.capture, r.inputs, r.seed, outs, r.leaves, r.leafGrads, new java.util.HashSet<>(e.units),
                share);
    }

    /**
     * Replays the plan on the second call's inputs and compares it with what eager computed. Turns diverging
     * nodes into units, then checks the memory-sharing plan the same way; keeps the signature eager otherwise.
     */
    private void verify(Entry e) {
        Recording a = e.first;
        Recording b = e.second;
        leaves(e, b);
        long rngAfter = rng.state();
        e.afterB = snapshot(e.watched);
        INDArray[] bGrads = b.leafGrads;
        try {
            String structure = sameStructure(a, b);
            if (structure != null) {
                giveUp(e, structure);
                return;
            }
            while (true) {
                Verdict v = replayAndCompare(e, e.plan, true);
                if (v == null) {
                    break;
                }
                String constant = v.node < 0 ? null : changedConstant(e, v.node);
                if (constant != null) {
                    giveUp(e, constant);
                    return;
                }
                if (v.node < 0 || e.units.contains(v.node) || e.units.size() >= MAX_UNITS) {
                    giveUp(e, v.what);
                    return;
                }
                e.units.add(v.node);
                e.plan.close();
                e.plan = build(e, false);
            }
            Plan shared = build(e, true);
            Verdict v = replayAndCompare(e, shared, false);
            if (v == null) {
                e.plan.close();
                e.plan = shared;
            } else {
                shared.close();
                LOG.log(System.Logger.Level.WARNING, name + ": the memory-sharing plan differs from eager (" + v.what
                        + "); replaying without shared memory");
            }
            e.stage = Stage.REPLAY;
        } finally {
            restore(e.watched, e.afterB);
            for (int i = 0; i < b.leaves.size(); i++) {
                b.leaves.get(i).setGrad(bGrads[i]);
            }
            rng.restore(rngAfter);
            e.second = null;
            e.before = null;
            e.afterB = null;
            if (e.stage == Stage.REPLAY) {
                e.first = keepLeavesOnly(a);
            }
        }
    }

    /** After verification only the leaves are needed (to check their gradients are zeroed); drop the rest. */
    private static Recording keepLeavesOnly(Recording a) {
        Recording r = new Recording();
        r.leaves = a.leaves;
        r.inputLeaves = a.inputLeaves;
        return r;
    }

    private record Verdict(int node, String what) {}

    /**
     * Why node {@code n} cannot be replayed when one of its inputs is an array the plan would keep as it is
     * (made by code outside primitives: a constant) but whose values differ on the second call.
     */
    private static String changedConstant(Entry e, int n) {
        Capture.NodeRecord a = e.first.capture.nodes.get(n);
        Capture.NodeRecord b = e.second.capture.nodes.get(n);
        for (int k = 0; k < a.inputs.length; k++) {
            if (e.plan.usesAsIs(a.inputs[k]) && a.inputs[k] != b.inputs[k] && !Bits.same(a.inputs[k], b.inputs[k])) {
                return "input " + k + " " + Shapes.str(a.inputs[k].shape()) + " of primitive " + n + " ("
                        + a.function.name() + ") is computed outside primitives (layer code reading the data, the "
                        + "step or other state) and changes between calls";
            }
        }
        return null;
    }

    private Verdict replayAndCompare(Entry e, Plan plan, boolean perNode) {
        Recording b = e.second;
        restore(e.watched, e.before);
        rng.restore(b.rngBefore);
        long[] s = new long[plan.seeds()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextLong();
        }
        INDArray[] outs = plan.forward(b.inputs, s);
        if (e.key.backward()) {
            plan.backward(s, b.seed);
        }
        Capture cb = b.capture;
        if (perNode) {
            for (int n = 0; n < cb.nodes.size(); n++) {
                String d = differ(plan.nodeOutputs[n], cb.nodes.get(n).outputs);
                if (d != null) {
                    return new Verdict(n, "node " + n + " (" + cb.nodes.get(n).function.name() + ") forward: " + d);
                }
            }
            Integer[] order = backwardOrder(cb);
            for (int n : order) {
                String d = differ(plan.nodeGradIn[n], cb.nodes.get(n).gradIn);
                if (d != null) {
                    return new Verdict(n, "node " + n + " (" + cb.nodes.get(n).function.name() + ") backward: " + d);
                }
            }
        }
        String d = differ(outs, Arrays.stream(b.outputs).map(Tensor::data).toArray(INDArray[]::new));
        if (d != null) {
            return new Verdict(-1, "step outputs: " + d);
        }
        for (int i = 0; i < b.leaves.size(); i++) {
            String g = differ(new INDArray[] {plan.leafGradient(i)}, new INDArray[] {b.leafGrads[i]});
            if (g != null) {
                return new Verdict(-1, "gradient of a parameter " + Shapes.str(b.leaves.get(i).shape()) + ": " + g);
            }
        }
        List<INDArray> eagerAfter = e.afterB;
        for (int i = 0; i < e.watched.size(); i++) {
            // Watched when the first plan was built; a node made a unit since may have turned one into an
            // intermediate of this plan, which no longer touches the eager array.
            if (plan.usesAsIs(e.watched.get(i)) && !Bits.same(e.watched.get(i), eagerAfter.get(i))) {
                // A primitive writing into memory the step did not make there (an array filled outside Kernels,
                // then updated in place) replays wrongly as native calls: run it as a unit.
                int writer = writer(e.first.capture, e.watched.get(i));
                return new Verdict(writer, "a buffer " + Shapes.str(e.watched.get(i).shape()) + " ends the step "
                        + "differently than eagerly (changed outside native calls, e.g. by layer code)");
            }
        }
        return null;
    }

    /** The first node whose native calls write into {@code a}'s memory, or -1. */
    private static int writer(Capture c, INDArray a) {
        if (a.isEmpty()) {
            return -1;
        }
        org.nd4j.linalg.api.buffer.DataBuffer base = Plan.base(a);
        for (Capture.Call call : c.calls) {
            for (INDArray out : call.out()) {
                if (!out.isEmpty() && Plan.base(out) == base) {
                    return call.node();
                }
            }
        }
        return -1;
    }

    private static Integer[] backwardOrder(Capture c) {
        Integer[] order = new Integer[c.nodes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // The order backward ran them (several may start at the same call: views, Java-only nodes).
        Arrays.sort(order, (x, y) -> Integer.compare(c.nodes.get(x).backwardSeq, c.nodes.get(y).backwardSeq));
        return order;
    }

    private static String differ(INDArray[] planned, INDArray[] eager) {
        if (planned == null || eager == null) {
            return planned == eager ? null : "a gradient is missing on one side";
        }
        for (int k = 0; k < eager.length; k++) {
            if (eager[k] == null && planned[k] == null) {
                continue;
            }
            if (eager[k] == null || planned[k] == null) {
                return "result " + k + " is missing on one side";
            }
            if (!Bits.same(planned[k], eager[k])) {
                return "result " + k + " " + Shapes.str(eager[k].shape()) + " is not bit-identical ("
                        + Bits.difference(planned[k], eager[k]) + ")";
            }
        }
        return null;
    }

    private static String sameStructure(Recording a, Recording b) {
        Capture ca = a.capture;
        Capture cb = b.capture;
        if (ca.nodes.size() != cb.nodes.size() || ca.calls.size() != cb.calls.size()) {
            return "the step runs " + cb.nodes.size() + " primitives / " + cb.calls.size() + " native calls, "
                    + "against " + ca.nodes.size() + " / " + ca.calls.size() + " when captured";
        }
        if (a.leaves.size() != b.leaves.size()) {
            return "the step reaches " + b.leaves.size() + " parameters, " + a.leaves.size() + " when captured";
        }
        for (int i = 0; i < a.leaves.size(); i++) {
            Tensor x = a.leaves.get(i);
            Tensor y = b.leaves.get(i);
            boolean sameInput = false;
            for (int k = 0; k < a.inputLeaves.length; k++) {
                sameInput |= a.inputLeaves[k] == x && b.inputLeaves[k] == y;
            }
            if (x != y && !sameInput) {
                return "the step reaches other parameter tensors than when captured";
            }
        }
        for (int i = 0; i < ca.nodes.size(); i++) {
            if (ca.nodes.get(i).function.getClass() != cb.nodes.get(i).function.getClass()) {
                return "primitive " + i + " is " + cb.nodes.get(i).function.name() + ", was "
                        + ca.nodes.get(i).function.name();
            }
        }
        for (int i = 0; i < ca.calls.size(); i++) {
            Capture.Call x = ca.calls.get(i);
            Capture.Call y = cb.calls.get(i);
            if (!x.op().equals(y.op()) || !Arrays.equals(x.iArgs(), y.iArgs()) || !Arrays.equals(x.tArgs(), y.tArgs())
                    || !Arrays.equals(x.bArgs(), y.bArgs()) || !sameShapes(x.in(), y.in())
                    || !sameShapes(x.out(), y.out()) || !java.util.Objects.equals(x.host(), y.host())) {
                return "native call " + i + " (" + y.op() + ") has other arguments than when captured (values "
                        + "decide what the step runs)";
            }
        }
        return null;
    }

    private static boolean sameShapes(INDArray[] x, INDArray[] y) {
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].dataType() != y[i].dataType() || !Arrays.equals(x[i].shape(), y[i].shape())) {
                return false;
            }
        }
        return true;
    }

    private void giveUp(Entry e, String reason) {
        e.stage = Stage.EAGER;
        e.reason = reason;
        if (e.plan != null) {
            e.plan.close();
            e.plan = null;
        }
        e.first = null;
        LOG.log(System.Logger.Level.WARNING, name + " runs eagerly for " + e.key.signature() + ": " + reason);
    }

    /** The persistent arrays a verification must compare and restore: the plan's and the caller's state. */
    private List<INDArray> watched(Plan plan, Recording first) {
        java.util.Set<INDArray> leaves = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        first.leaves.forEach(t -> leaves.add(t.data()));
        List<INDArray> w = new ArrayList<>();
        java.util.Set<INDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (INDArray a : plan.persistent()) {
            if (!leaves.contains(a) && seen.add(a)) {
                w.add(a);
            }
        }
        for (INDArray a : state.get().values()) {
            if (seen.add(a)) {
                w.add(a);
            }
        }
        return w;
    }

    private static List<INDArray> snapshot(List<INDArray> arrays) {
        List<INDArray> s = new ArrayList<>(arrays.size());
        for (INDArray a : arrays) {
            s.add(a.isEmpty() ? a : a.dup());
        }
        return s;
    }

    private static void restore(List<INDArray> arrays, List<INDArray> values) {
        for (int i = 0; i < arrays.size(); i++) {
            if (!arrays.get(i).isEmpty()) {
                arrays.get(i).assign(values.get(i));
            }
        }
    }

    private void evict() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > maxPlans && it.hasNext()) {
            Entry old = it.next().getValue();
            if (old == current) {
                continue;
            }
            if (old.plan != null) {
                old.plan.close();
            }
            it.remove();
        }
    }

    /** Constants, or leaves where {@code grads} asks for an input's gradient. */
    private static Tensor[] wrap(INDArray[] arrays, boolean[] grads) {
        Tensor[] t = new Tensor[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            t[i] = grads != null && grads[i] ? Tensor.leaf(arrays[i]) : Tensor.of(arrays[i]);
        }
        return t;
    }

    private static String flags(boolean[] grads) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < grads.length; i++) {
            if (grads[i]) {
                s.append(s.length() == 0 ? " (gradient of input " : ", ").append(i);
            }
        }
        return s.length() == 0 ? "" : s.append(')').toString();
    }

    private static String signature(INDArray[] inputs) {
        StringBuilder s = new StringBuilder();
        for (INDArray x : inputs) {
            s.append(s.length() == 0 ? "" : ", ").append(x.dataType()).append(Shapes.str(x.shape()));
        }
        return s.toString();
    }

    /** One line per signature: replayed (native calls, units, arena) or eager and why. */
    public String explain() {
        StringBuilder s = new StringBuilder(name).append(":\n");
        for (Entry e : entries.values()) {
            s.append("  ").append(e.key.signature()).append(e.key.backward() ? " (with backward)" : "")
                    .append(": ");
            switch (e.stage) {
                case NEW, CAPTURED -> s.append("capturing");
                case EAGER -> s.append("eager: ").append(e.reason);
                case REPLAY -> s.append(String.format(java.util.Locale.ROOT,
                        "%d native calls, %d unit nodes%s, %d random seeds, arena %.1f MB (%.1f MB unshared)",
                        e.plan.boundCalls(), e.plan.unitNodes(), e.plan.unitNames().isEmpty() ? ""
                                : " " + e.plan.unitNames(), e.plan.seeds(), e.plan.arenaBytes() / 1e6,
                        e.plan.unsharedBytes() / 1e6));
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public void close() {
        for (Entry e : entries.values()) {
            if (e.plan != null) {
                e.plan.close();
            }
        }
        entries.clear();
    }

    /**
     * Runs work whose results are constants for a signature (an imported graph's shape arithmetic: Shape, and the
     * Gather/Concat/Cast on its output) without recording it, under no grad: a compiled step then keeps the arrays
     * it returns as they are and never replays its calls. The caller must return the same arrays on later calls
     * of the signature (cache them); a step whose constants change between its first two calls stays eager.
     */
    public static <T> T constantFor(java.util.function.Supplier<T> work) {
        return Capture.outside(() -> {
            try (var off = GradMode.off()) {
                return work.get();
            }
        });
    }
}
