package dev.dendrite.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A captured step as a static program: every native call of the eager step bound once to an op context over
 * planned arrays, in the order the step made them. Replaying it runs no layer code, builds no tape and
 * allocates nothing: step inputs are copied into arrays of the plan, intermediates live in one arena per
 * dtype at offsets a {@link MemoryPlan} chose, parameters and buffers are the model's own arrays.
 *
 * <p>A node can instead be a <em>unit</em>: its primitive's own forward and backward run again on the
 * planned arrays and their results are copied in. That is how a primitive whose work is not all native calls
 * through {@link Kernels} (or depends on values read on the host) stays correct in a compiled step.
 */
final class Plan implements AutoCloseable {
    /** One executable piece of the plan. */
    interface Step {
        void run(long[] seeds);
    }

    private final List<Step> forward = new ArrayList<>();
    private final List<Step> backward = new ArrayList<>();
    private final List<OpContext> contexts = new ArrayList<>();
    private final INDArray[] inputs;
    private final int forwardInputs;
    private final INDArray[] outputs;
    private final List<Tensor> leaves;
    private final INDArray[] leafGrads;
    private final int seeds;
    private final MemoryPlan memory;
    private final Map<DataBuffer, Integer> inputBases;
    private final List<INDArray> persistent;
    private final int boundCalls;
    private final int unitNodes;
    private final List<String> unitNames;
    /** For verification: each node's planned outputs and gradients (meaningful only without shared memory). */
    final INDArray[][] nodeOutputs;
    final INDArray[][] nodeGradIn;

    /**
     * @param stepInputs the arrays the captured step was called with (contiguous copies made for it)
     * @param stepOutputs the arrays it returned
     * @param leaves the leaves that received a gradient, with {@code leafGrads} their captured gradients
     * @param units nodes replayed by running their primitive again
     * @param share whether intermediates whose lifetimes do not overlap share memory
     */
    Plan(Capture capture, INDArray[] forwardInputs, INDArray seed, INDArray[] stepOutputs, List<Tensor> leaves,
            INDArray[] leafGrads, Set<Integer> units, boolean share) {
        // The backward's seed, when the caller gives one, is an input like the forward's: copied in per call.
        this.forwardInputs = forwardInputs.length;
        INDArray[] stepInputs = java.util.Arrays.copyOf(forwardInputs, forwardInputs.length + (seed == null ? 0 : 1));
        if (seed != null) {
            stepInputs[forwardInputs.length] = seed;
        }
        List<Event> events = events(capture, units);
        Map<DataBuffer, Integer> inputBases = new IdentityHashMap<>();
        for (int i = 0; i < stepInputs.length; i++) {
            inputBases.put(base(stepInputs[i]), i);
        }
        MemoryPlan.Builder mem = new MemoryPlan.Builder();
        for (int e = 0; e < events.size(); e++) {
            for (Access a : events.get(e).accesses()) {
                if (a.array != null && !a.array.isEmpty() && !inputBases.containsKey(base(a.array))) {
                    mem.access(base(a.array), e, a.write, a.array);
                }
            }
        }
        for (INDArray out : stepOutputs) {
            mem.keepToEnd(out == null || out.isEmpty() ? null : base(out));
        }
        for (INDArray g : leafGrads) {
            mem.keepToEnd(g == null || g.isEmpty() ? null : base(g));
        }
        this.memory = mem.build(share);
        this.inputBases = inputBases;
        this.persistent = memory.persistent();

        Remap remap = new Remap(memory, inputBases, stepInputs);
        this.inputs = remap.inputs();
        this.outputs = remap.all(stepOutputs);
        this.leaves = List.copyOf(leaves);
        this.leafGrads = remap.all(leafGrads);

        Map<Long, Integer> seedIndex = new LinkedHashMap<>();
        Map<String, DynamicCustomOp> ops = new LinkedHashMap<>();
        int bound = 0;
        for (Event e : events) {
            List<Step> target = e.phase == Capture.Phase.FORWARD ? forward : backward;
            if (e.call != null && e.call.host() != null) {
                Kernels.HostKernel kernel = e.call.host();
                INDArray[] in = remap.all(e.call.in());
                INDArray[] out = remap.all(e.call.out());
                target.add(seedValues -> kernel.run(in, out));
                bound++;
            } else if (e.call != null && e.call.op().startsWith(Kernels.LEGACY_PREFIX)) {
                Capture.Call c = e.call;
                INDArray x = remap.map(c.in()[0]);
                INDArray z = remap.map(c.out()[0]);
                org.nd4j.linalg.api.ops.Op op = x.length() == 0 ? null
                        : Kernels.LEGACY.get(c.op().substring(Kernels.LEGACY_PREFIX.length())).op(x, z, c.tArgs()[0]);
                boolean serial = Threads.serial(c.out());
                target.add(seedValues -> {
                    if (op != null) {
                        Threads.use(serial);
                        Nd4j.getExecutioner().exec(op);
                    }
                });
                bound++;
            } else if (e.call != null) {
                Capture.Call c = e.call;
                OpContext ctx = Nd4j.getExecutioner().buildContext();
                contexts.add(ctx);
                ctx.allowHelpers(c.helpers());
                ctx.setInputArrays(remap.all(c.in()));
                ctx.setOutputArrays(remap.all(c.out()));
                if (c.iArgs() != null && c.iArgs().length > 0) {
                    ctx.setIArguments(c.iArgs());
                }
                if (c.tArgs() != null && c.tArgs().length > 0) {
                    ctx.setTArguments(c.tArgs());
                }
                if (c.bArgs() != null && c.bArgs().length > 0) {
                    ctx.setBArguments(c.bArgs());
                }
                if (c.dArgs() != null && c.dArgs().length > 0) {
                    ctx.setDArguments(c.dArgs());
                }
                DynamicCustomOp op = ops.computeIfAbsent(c.op(), n -> DynamicCustomOp.builder(n).build());
                int random = c.seed() == null ? -1 : seedIndex.computeIfAbsent(c.seed(), s -> seedIndex.size());
                target.add(new Bound(op, ctx, random, c.oneThread() || Threads.serial(c.out())));
                bound++;
            } else {
                Capture.NodeRecord n = capture.nodes.get(e.node);
                switch (e.kind) {
                    case CHECK -> {
                        INDArray[] in = remap.all(n.inputs);
                        target.add(seedValues -> n.function.replayCheck(in));
                    }
                    case UNIT_FORWARD -> target.add(new UnitForward(n.function, remap.all(n.inputs),
                            remap.all(n.outputs)));
                    case UNIT_BACKWARD -> target.add(new UnitBackward(n.function, remap.all(n.gradOut),
                            remap.all(n.gradIn)));
                    default -> throw new IllegalStateException(e.kind.toString());
                }
            }
        }
        this.boundCalls = bound;
        this.unitNodes = units.size();
        this.unitNames = units.stream().sorted().map(n -> capture.nodes.get(n).function.name()).toList();
        this.seeds = seedIndex.size();
        this.nodeOutputs = new INDArray[capture.nodes.size()][];
        this.nodeGradIn = new INDArray[capture.nodes.size()][];
        for (int i = 0; i < nodeOutputs.length; i++) {
            Capture.NodeRecord n = capture.nodes.get(i);
            nodeOutputs[i] = remap.all(n.outputs);
            nodeGradIn[i] = n.gradIn == null ? null : remap.all(n.gradIn);
        }
    }

    /** Copies the step's inputs in and runs the forward program; the outputs stay valid until the next call. */
    INDArray[] forward(INDArray[] newInputs, long[] seedValues) {
        for (int i = 0; i < forwardInputs; i++) {
            Kernels.assign(inputs[i], newInputs[i]);
        }
        try {
            for (Step s : forward) {
                s.run(seedValues);
            }
        } finally {
            Threads.reset();
        }
        return outputs;
    }

    /** Runs the backward program and hands each leaf its gradient (planned memory, valid until the next call). */
    void backward(long[] seedValues, INDArray seed) {
        if (seed != null) {
            Kernels.assign(inputs[forwardInputs], seed);
        }
        try {
            for (Step s : backward) {
                s.run(seedValues);
            }
        } finally {
            Threads.reset();
        }
        for (int i = 0; i < leaves.size(); i++) {
            leaves.get(i).setGrad(leafGrads[i]);
        }
    }

    /** The gradient the plan hands leaf {@code i} (in the order the plan was given its leaves). */
    INDArray leafGradient(int i) {
        return leafGrads[i];
    }

    /** Distinct random seeds one replay draws from the run's stream, in the order eager drew them. */
    int seeds() {
        return seeds;
    }

    /** Arrays that outlive the step and that native calls of the plan read or write (buffers, constants). */
    List<INDArray> persistent() {
        return persistent;
    }

    /** Whether the plan uses {@code a} as it is (a parameter, buffer or constant) rather than its own memory. */
    boolean usesAsIs(INDArray a) {
        return a != null && !a.isEmpty() && !inputBases.containsKey(base(a)) && memory.slot(base(a)) == null;
    }

    long arenaBytes() {
        return memory.arenaBytes();
    }

    long unsharedBytes() {
        return memory.unsharedBytes();
    }

    int boundCalls() {
        return boundCalls;
    }

    int unitNodes() {
        return unitNodes;
    }

    /** The primitives replayed as units, in the order they run. */
    List<String> unitNames() {
        return unitNames;
    }

    @Override
    public void close() {
        for (OpContext c : contexts) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("compiled step: could not release a native op context", e);
            }
        }
        contexts.clear();
        memory.release();
    }

    /** The buffer that owns an array's memory: views share their original's. */
    static DataBuffer base(INDArray a) {
        DataBuffer d = a.data();
        return d.originalDataBuffer() != null ? d.originalDataBuffer() : d;
    }

    private record Access(INDArray array, boolean write) {}

    /** A native call, or a unit node's forward or backward, in the order the eager step ran them. */
    private enum Kind { CALL, CHECK, UNIT_FORWARD, UNIT_BACKWARD }

    private record Event(Capture.Call call, int node, Capture.Phase phase, List<Access> accesses, Kind kind) {}

    private static List<Event> events(Capture capture, Set<Integer> units) {
        List<Event> events = new ArrayList<>();
        List<Capture.Call> calls = capture.calls;
        // What happens before call c: nodes whose forward (or backward) started there, in the order they ran.
        List<List<Integer>> forwardAt = new ArrayList<>();
        List<List<Integer>> backwardAt = new ArrayList<>();
        for (int c = 0; c <= calls.size(); c++) {
            forwardAt.add(new ArrayList<>());
            backwardAt.add(new ArrayList<>());
        }
        List<Integer> byBackward = new ArrayList<>();
        for (int n = 0; n < capture.nodes.size(); n++) {
            Capture.NodeRecord r = capture.nodes.get(n);
            forwardAt.get(r.forwardAt).add(n);
            if (r.gradIn != null) {
                byBackward.add(n);
            }
        }
        byBackward.sort(java.util.Comparator.comparingInt(n -> capture.nodes.get(n).backwardSeq));
        for (int n : byBackward) {
            backwardAt.get(capture.nodes.get(n).backwardAt).add(n);
        }
        for (int c = 0; c <= calls.size(); c++) {
            for (int n : forwardAt.get(c)) {
                Capture.NodeRecord r = capture.nodes.get(n);
                if (r.function.checksValues()) {
                    events.add(check(r, n));
                }
                if (units.contains(n)) {
                    events.add(unitForward(r, n));
                }
            }
            for (int n : backwardAt.get(c)) {
                if (units.contains(n)) {
                    events.add(unitBackward(capture.nodes.get(n), n));
                }
            }
            if (c == calls.size()) {
                break;
            }
            Capture.Call call = calls.get(c);
            if (call.node() != Capture.GLUE && units.contains(call.node())) {
                continue;
            }
            List<Access> acc = new ArrayList<>();
            // assign(target, target, source) names its target as input 0 only to overwrite it: not a read.
            for (int i = call.op().equals("assign") ? 1 : 0; i < call.in().length; i++) {
                acc.add(new Access(call.in()[i], false));
            }
            for (INDArray a : call.out()) {
                acc.add(new Access(a, true));
            }
            events.add(new Event(call, call.node(), call.phase(), acc, Kind.CALL));
        }
        return events;
    }

    /** A primitive's value checks read its inputs; they run in the plan at the node's place. */
    private static Event check(Capture.NodeRecord n, int node) {
        List<Access> acc = new ArrayList<>();
        add(acc, n.inputs, false);
        return new Event(null, node, Capture.Phase.FORWARD, acc, Kind.CHECK);
    }

    private static Event unitForward(Capture.NodeRecord n, int node) {
        List<Access> acc = new ArrayList<>();
        add(acc, n.inputs, false);
        add(acc, n.outputs, true);
        return new Event(null, node, Capture.Phase.FORWARD, acc, Kind.UNIT_FORWARD);
    }

    /** A unit's backward reads what its forward saw (its primitive keeps those arrays) and its output gradients. */
    private static Event unitBackward(Capture.NodeRecord n, int node) {
        List<Access> acc = new ArrayList<>();
        add(acc, n.inputs, false);
        add(acc, n.outputs, false);
        add(acc, n.gradOut, false);
        add(acc, n.gradIn, true);
        return new Event(null, node, Capture.Phase.BACKWARD, acc, Kind.UNIT_BACKWARD);
    }

    /** Accesses to each present array (an input that needs no gradient has none). */
    private static void add(List<Access> acc, INDArray[] arrays, boolean write) {
        for (INDArray a : arrays) {
            if (a != null) {
                acc.add(new Access(a, write));
            }
        }
    }

    /** A native call bound once; a random one gets this replay's seed. */
    private record Bound(DynamicCustomOp op, OpContext ctx, int seed, boolean serial) implements Step {
        @Override
        public void run(long[] seeds) {
            Threads.use(serial);
            if (seed >= 0) {
                Kernels.seedGenerator(ctx, seeds[seed]);
            }
            Nd4j.getExecutioner().exec(op, ctx);
        }
    }

    private record UnitForward(Function function, INDArray[] inputs, INDArray[] outputs) implements Step {
        @Override
        public void run(long[] seeds) {
            Threads.reset();
            INDArray[] out = function.replayForward(inputs);
            copyInto(function, "forward", out, outputs);
        }
    }

    private record UnitBackward(Function function, INDArray[] gradOut, INDArray[] gradIn) implements Step {
        @Override
        public void run(long[] seeds) {
            Threads.reset();
            INDArray[] g = function.replayBackward(gradOut);
            copyInto(function, "backward", g, gradIn);
        }
    }

    private static void copyInto(Function f, String phase, INDArray[] actual, INDArray[] planned) {
        for (int i = 0; i < planned.length; i++) {
            if (planned[i] == null) {
                continue;
            }
            if (actual == null || i >= actual.length || actual[i] == null
                    || !java.util.Arrays.equals(actual[i].shape(), planned[i].shape())) {
                throw new DendriteException("compiled step: " + f.name() + "." + phase + " returned a different "
                        + "result " + i + " than when it was captured; run with --eager");
            }
            if (!sameMemory(actual[i], planned[i]) && planned[i].length() > 0) {
                Kernels.assign(planned[i], actual[i]);
            }
        }
    }

    private static boolean sameMemory(INDArray a, INDArray b) {
        return a == b || !a.isEmpty() && !b.isEmpty() && base(a) == base(b) && a.offset() == b.offset()
                && java.util.Arrays.equals(a.stride(), b.stride());
    }
}
