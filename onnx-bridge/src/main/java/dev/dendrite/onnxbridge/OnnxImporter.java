package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import dev.dendrite.onnxbridge.proto.TensorShapeProto;
import dev.dendrite.onnxbridge.proto.TypeProto;
import dev.dendrite.onnxbridge.proto.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a {@code ModelProto} into an {@link ImportedModel}. Everything that can be wrong with a file is
 * checked here, before the first forward: the IR and opset versions, every tensor's size, that every
 * node input has a producer, that the graph has no cycle, that every op has a converter.
 */
public final class OnnxImporter {
    /** ONNX Runtime 1.29's range; the node tests span 4..13. */
    public static final int MAX_IR_VERSION = 13;
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 28;

    private final Converters converters;

    public OnnxImporter() {
        this(Converters.discover());
    }

    public OnnxImporter(Converters converters) {
        this.converters = converters;
    }

    /** Reads and imports {@code file}; external data is looked up beside it. */
    public ImportedModel load(Path file) {
        ModelProto model = OnnxFiles.readModel(file);
        Path dir = file.toAbsolutePath().getParent();
        try {
            return importModel(model, dir);
        } catch (OnnxImportException e) {
            throw new OnnxImportException(file + ": " + e.getMessage(), e);
        }
    }

    /** Imports a model; {@code modelDir} is where external data may live (null refuses external data). */
    public ImportedModel importModel(ModelProto model, Path modelDir) {
        if (model.getIrVersion() < 3 || model.getIrVersion() > MAX_IR_VERSION) {
            throw new OnnxImportException("IR version " + model.getIrVersion() + " is not supported (3.."
                    + MAX_IR_VERSION + ")");
        }
        if (!model.hasGraph()) {
            throw new OnnxImportException("the model has no graph");
        }
        Map<String, Integer> opsets = opsets(model);
        GraphProto g = model.getGraph();
        if (g.getSparseInitializerCount() > 0) {
            throw new OnnxImportException("sparse initializer '" + g.getSparseInitializer(0).getValues().getName()
                    + "' is not supported");
        }

        Map<String, INDArray> initializers = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new OnnxImportException("an initializer has no name");
            }
            if (initializers.put(t.getName(), TensorProtos.read(t, modelDir)) != null) {
                throw new OnnxImportException("initializer '" + t.getName() + "' is defined twice");
            }
        }
        List<ValueSpec> inputs = new ArrayList<>();
        Set<String> available = new HashSet<>(initializers.keySet());
        for (ValueInfoProto v : g.getInputList()) {
            if (initializers.containsKey(v.getName())) {
                continue; // IR < 4 lists initializers among the inputs too
            }
            if (v.getName().isEmpty() || !available.add(v.getName())) {
                throw new OnnxImportException("graph input '" + v.getName() + "' is empty or declared twice");
            }
            inputs.add(spec(v, "graph input"));
        }

        List<NodeProto> ordered = topologicalOrder(LocalFunctions.inline(model, opsets), available);
        ImportedModel.Seeds seeds = new ImportedModel.Seeds();
        List<ImportedModel.Step> steps = new ArrayList<>();
        Set<String> stateNames = new HashSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            NodeProto n = ordered.get(i);
            String name = n.getName().isEmpty() ? n.getOpType() + "_" + i : n.getName();
            String domain = Converters.canonicalDomain(n.getDomain());
            Integer opset = opsets.get(domain);
            if (opset == null) {
                throw new OnnxImportException("node '" + name + "' (" + n.getOpType() + ") uses domain '" + domain
                        + "', which the model does not import");
            }
            Map<String, Object> attrs = Attributes.decode(n, name, modelDir);
            String[] ins = n.getInputList().toArray(String[]::new);
            String[] outs = n.getOutputList().toArray(String[]::new);
            OnnxOp inference = new OnnxOp(n.getOpType(), domain, name, opset, attrs, outs.length, false, seeds);
            boolean[] present = new boolean[ins.length];
            for (int k = 0; k < ins.length; k++) {
                present[k] = !ins[k].isEmpty();
            }
            OnnxConverter c = converters.find(inference, present);
            if (c == null) {
                throw new OnnxImportException("node '" + name + "': op " + n.getOpType()
                        + (domain.equals("ai.onnx") ? "" : " of domain " + domain) + " (opset " + opset
                        + ") is not supported");
            }
            for (int k = 0; k < ins.length; k++) {
                if (initializers.containsKey(ins[k]) && c.isState(n.getOpType(), k)) {
                    stateNames.add(ins[k]);
                }
            }
            steps.add(new ImportedModel.Step(c, inference,
                    new OnnxOp(n.getOpType(), domain, name, opset, attrs, outs.length, true, seeds), ins, outs));
        }

        List<ValueSpec> outputs = new ArrayList<>();
        Set<String> produced = new HashSet<>(available);
        ordered.forEach(n -> produced.addAll(n.getOutputList()));
        for (ValueInfoProto v : g.getOutputList()) {
            if (!produced.contains(v.getName())) {
                throw new OnnxImportException("graph output '" + v.getName() + "' is produced by no node");
            }
            outputs.add(spec(v, "graph output"));
        }
        if (outputs.isEmpty()) {
            throw new OnnxImportException("the graph has no outputs");
        }

        Map<String, INDArray> floats = new LinkedHashMap<>();
        Map<String, INDArray> constants = new LinkedHashMap<>();
        initializers.forEach((name, a) -> (a.dataType().isFPType() ? floats : constants).put(name, a));
        Set<String> graphOutputs = new HashSet<>();
        outputs.forEach(v -> graphOutputs.add(v.name()));
        return new ImportedModel(inputs, outputs, ClampFusion.fuse(steps, graphOutputs), floats, stateNames, constants,
                opsets.getOrDefault("ai.onnx", 0), seeds);
    }

    private static Map<String, Integer> opsets(ModelProto model) {
        Map<String, Integer> m = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String d = Converters.canonicalDomain(o.getDomain());
            long v = o.getVersion();
            if (d.equals("ai.onnx") && (v < MIN_OPSET || v > MAX_OPSET)) {
                throw new OnnxImportException("ai.onnx opset " + v + " is not supported (" + MIN_OPSET + ".."
                        + MAX_OPSET + ")");
            }
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new OnnxImportException("domain '" + d + "' has an invalid opset version " + v);
            }
            m.put(d, (int) v);
        }
        return m;
    }

    /**
     * Kahn's algorithm over value names. A node input that no node produces and that is not a graph input
     * or initializer is dangling; nodes left over at the end form a cycle.
     */
    private static List<NodeProto> topologicalOrder(List<NodeProto> nodes, Set<String> available) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (available.contains(o) || producer.put(o, i) != null) {
                    throw new OnnxImportException("value '" + o + "' is produced twice (by node '"
                            + label(nodes.get(i), i) + "' and another node or graph input)");
                }
            }
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                Integer p = producer.get(in);
                if (p == null) {
                    throw new OnnxImportException("node '" + label(nodes.get(i), i) + "' reads '" + in
                            + "', which is no graph input, initializer or node output");
                }
                pending[i]++;
                consumers.get(p).add(i);
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int c : consumers.get(i)) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() < nodes.size()) {
            for (int i = 0; i < nodes.size(); i++) {
                if (pending[i] > 0) {
                    throw new OnnxImportException("the graph has a cycle through node '" + label(nodes.get(i), i)
                            + "'");
                }
            }
        }
        return order;
    }

    private static String label(NodeProto n, int i) {
        return n.getName().isEmpty() ? n.getOpType() + "_" + i : n.getName();
    }

    private static ValueSpec spec(ValueInfoProto v, String what) {
        if (!v.hasType() || !v.getType().hasTensorType()) {
            throw new OnnxImportException(what + " '" + v.getName() + "' is not a tensor (sequences, maps and "
                    + "optionals are not supported)");
        }
        TypeProto.Tensor t = v.getType().getTensorType();
        DataType type = null;
        if (t.hasElemType() && t.getElemType() != 0) {
            try {
                type = OnnxTypes.toNd4j(t.getElemType());
            } catch (IllegalArgumentException e) {
                throw new OnnxImportException(what + " '" + v.getName() + "' has unsupported element type "
                        + t.getElemType());
            }
        }
        if (!t.hasShape()) {
            return new ValueSpec(v.getName(), type, null, null);
        }
        List<TensorShapeProto.Dimension> dl = t.getShape().getDimList();
        long[] dims = new long[dl.size()];
        String[] names = new String[dl.size()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = dl.get(i);
            dims[i] = d.hasDimValue() ? d.getDimValue() : -1;
            names[i] = d.hasDimParam() ? d.getDimParam() : null;
            if (d.hasDimValue() && d.getDimValue() < 0) {
                throw new OnnxImportException(what + " '" + v.getName() + "' declares a negative dimension");
            }
        }
        return new ValueSpec(v.getName(), type, dims, names);
    }
}
