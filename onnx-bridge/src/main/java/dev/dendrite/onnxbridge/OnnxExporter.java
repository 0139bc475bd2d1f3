package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Layer;
import dev.dendrite.onnx.OnnxGraph;
import dev.dendrite.onnx.OnnxNode;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.onnxbridge.proto.TensorShapeProto;
import dev.dendrite.onnxbridge.proto.TypeProto;
import dev.dendrite.onnxbridge.proto.ValueInfoProto;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Trace;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any Dendrite model as an ONNX {@code ModelProto}, by tracing one forward pass (in evaluation mode): every
 * primitive the pass applies writes its own nodes ({@link dev.dendrite.tensor.Function#toOnnx}), so a
 * layer that only composes primitives — including a third-party plugin's — needs no export code.
 * Parameters and buffers become initializers under their hierarchical names, in registration order; other
 * tensors the pass created become Constant nodes; dimension 0 of every input is the symbolic {@code batch}.
 */
public final class OnnxExporter {
    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 13;
    /** 23 brings the {@code Attention} op; ONNX Runtime 1.29 runs it (IR 11). */
    public static final int MAX_OPSET = 23;

    private OnnxExporter() {}

    public static ModelProto export(Layer model, Tensor... example) {
        return export(model, DEFAULT_OPSET, example);
    }

    public static ModelProto export(Layer model, int opset, Tensor... example) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new DendriteException("cannot export at opset " + opset + ": Dendrite writes opsets " + MIN_OPSET
                    + ".." + MAX_OPSET);
        }
        boolean wasTraining = model.isTraining();
        model.train(false);
        List<Trace.Step> steps;
        Tensor[] outputs;
        try (var noGrad = GradMode.off(); Trace trace = Trace.start()) {
            outputs = model instanceof ImportedModel m ? m.run(example) : new Tensor[] {model.forward(example)};
            steps = trace.steps();
        } finally {
            model.train(wasTraining);
        }
        return new Writer(model, opset, example, outputs).write(steps);
    }

    /** One export: names every traced value, then lets each step write itself. */
    private static final class Writer {
        private final int opset;
        private final Tensor[] inputs;
        private final Tensor[] outputs;
        private final Map<Tensor, String> names = new IdentityHashMap<>();
        private final Map<INDArray, String> weightNames = new IdentityHashMap<>();
        /** Weights the pass read, by name; written in {@link #weightOrder}, the model's registration order. */
        private final Map<String, INDArray> initializers = new LinkedHashMap<>();
        private final List<String> weightOrder;
        private final OnnxGraph graph;

        Writer(Layer model, int opset, Tensor[] inputs, Tensor[] outputs) {
            this.opset = opset;
            this.inputs = inputs;
            this.outputs = outputs;
            this.graph = new OnnxGraph(opset);
            model.parameters().forEach((name, t) -> weightNames.put(t.data(), name));
            model.buffers().forEach((name, a) -> weightNames.put(a, name));
            weightOrder = new ArrayList<>(model.parameters().keySet());
            weightOrder.addAll(model.buffers().keySet());
        }

        ModelProto write(List<Trace.Step> steps) {
            for (int i = 0; i < inputs.length; i++) {
                names.put(inputs[i], "input_" + i);
            }
            List<OnnxNode> identities = new ArrayList<>();
            for (int i = 0; i < outputs.length; i++) {
                String name = "output_" + i;
                if (names.containsKey(outputs[i]) || !producedByStep(steps, outputs[i])) {
                    // An input, weight or earlier output returned as is: ONNX needs a node to name it again.
                    identities.add(new OnnxNode("Identity", OnnxNode.DEFAULT_DOMAIN, List.of(name(outputs[i])),
                            List.of(name), Map.of()));
                } else {
                    names.put(outputs[i], name);
                }
            }
            for (Trace.Step s : steps) {
                String[] in = new String[s.inputs().length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = name(s.inputs()[i]);
                }
                String[] out = new String[s.outputs().length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = names.computeIfAbsent(s.outputs()[i], t -> graph.fresh("/" + s.function().name()));
                }
                s.function().toOnnx(graph, in, out);
            }
            identities.forEach(graph::node);
            // Values made during the pass (scalars, shapes, masks) are Constant nodes, not initializers: an
            // importer (ours included) treats initializers as weights to train.
            List<OnnxNode> nodes = new ArrayList<>();
            graph.constants().forEach((name, value) -> nodes.add(new OnnxNode("Constant", OnnxNode.DEFAULT_DOMAIN,
                    List.of(), List.of(name), Map.of("value", value))));
            nodes.addAll(graph.nodes());
            return model(prune(nodes));
        }

        private static boolean producedByStep(List<Trace.Step> steps, Tensor t) {
            for (Trace.Step s : steps) {
                for (Tensor o : s.outputs()) {
                    if (o == t) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The name of a value a step reads: known already, a weight, or else a constant made during the pass. */
        private String name(Tensor t) {
            String n = names.get(t);
            if (n != null) {
                return n;
            }
            String weight = weightNames.get(t.data());
            if (weight != null) {
                initializers.put(weight, t.data());
                n = weight;
            } else {
                n = graph.constant(t.data());
            }
            names.put(t, n);
            return n;
        }

        /** Drops nodes no output depends on (shape bookkeeping, training-only statistics). */
        private List<OnnxNode> prune(List<OnnxNode> nodes) {
            Set<String> needed = new HashSet<>();
            for (int i = 0; i < outputs.length; i++) {
                needed.add("output_" + i);
            }
            boolean[] keep = new boolean[nodes.size()];
            for (int i = nodes.size() - 1; i >= 0; i--) {
                OnnxNode n = nodes.get(i);
                if (n.outputs().stream().anyMatch(needed::contains)) {
                    keep[i] = true;
                    needed.addAll(n.inputs());
                }
            }
            List<OnnxNode> kept = new ArrayList<>();
            for (int i = 0; i < keep.length; i++) {
                if (keep[i]) {
                    kept.add(nodes.get(i));
                }
            }
            initializers.keySet().retainAll(needed);
            return kept;
        }

        private ModelProto model(List<OnnxNode> nodes) {
            GraphProto.Builder g = GraphProto.newBuilder().setName("dendrite");
            Set<String> domains = new TreeSet<>();
            int k = 0;
            for (OnnxNode n : nodes) {
                NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType()).setName(n.opType() + "_" + k++)
                        .addAllInput(n.inputs()).addAllOutput(n.outputs());
                if (!n.domain().isEmpty()) {
                    b.setDomain(n.domain());
                    domains.add(n.domain());
                }
                new java.util.TreeMap<>(n.attributes()).forEach((key, v) -> b.addAttribute(Attributes.encode(key, v)));
                g.addNode(b);
            }
            for (String name : weightOrder) {
                if (initializers.containsKey(name)) {
                    g.addInitializer(TensorProtos.write(name, initializers.get(name)));
                }
            }
            long batch = inputs.length > 0 && inputs[0].rank() > 0 ? inputs[0].size(0) : -1;
            for (int i = 0; i < inputs.length; i++) {
                g.addInput(valueInfo("input_" + i, inputs[i], true));
            }
            for (int i = 0; i < outputs.length; i++) {
                g.addOutput(valueInfo("output_" + i, outputs[i], outputs[i].rank() > 0 && outputs[i].size(0) == batch));
            }
            ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion(opset)).setProducerName("Dendrite")
                    .setProducerVersion("0.1.0").setGraph(g)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
            domains.forEach(d -> m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(d).setVersion(1)));
            return m.build();
        }

        private static ValueInfoProto valueInfo(String name, Tensor t, boolean batchFirst) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            long[] dims = t.shape();
            for (int i = 0; i < dims.length; i++) {
                shape.addDim(i == 0 && batchFirst ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
            }
            TypeProto.Tensor tt = TypeProto.Tensor.newBuilder().setElemType((int) OnnxTypes.of(t.dtype()))
                    .setShape(shape).build();
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
        }

        /** The IR version each opset was released with (what ONNX's checker expects at least). */
        private static long irVersion(int opset) {
            if (opset <= 14) {
                return 7;
            }
            if (opset <= 18) {
                return 8;
            }
            if (opset <= 20) {
                return 9;
            }
            // ONNX 1.16/1.17 (opsets 21, 22) wrote IR 10; ONNX 1.18 (opset 23) IR 11.
            return opset <= 22 ? 10 : 11;
        }
    }
}
