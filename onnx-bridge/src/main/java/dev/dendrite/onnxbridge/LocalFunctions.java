package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.FunctionProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model-local functions (IR ≥ 8: {@code ModelProto.functions}, as PyTorch's dynamo exporter and onnxscript
 * write them) expanded into the main graph before import, so that each op inside is converted, trained and
 * re-exported like any other node. A call's formal inputs and outputs become the caller's values, every
 * value made inside gets a name unique to the call ({@code call/inner}), and attributes that refer to the
 * function's own ({@code ref_attr_name}) take the caller's value, else the function's default, else are
 * left out — the ONNX semantics of a call.
 */
final class LocalFunctions {
    /** Deeper nesting than this is taken for recursion, which ONNX forbids. */
    private static final int MAX_DEPTH = 32;

    private final Map<String, FunctionProto> functions = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private int calls;

    private LocalFunctions(ModelProto model, Map<String, Integer> modelOpsets) {
        for (FunctionProto f : model.getFunctionsList()) {
            if (functions.put(key(f.getDomain(), f.getName(), f.getOverload()), f) != null) {
                throw new OnnxImportException("function '" + f.getDomain() + "::" + f.getName() + "' is defined twice");
            }
            for (OperatorSetIdProto o : f.getOpsetImportList()) {
                String d = Converters.canonicalDomain(o.getDomain());
                Integer v = modelOpsets.get(d);
                if (d.equals("ai.onnx") && v != null && v != o.getVersion()) {
                    // Converters read one opset per model; a function written against another is not supported.
                    throw new OnnxImportException("function '" + f.getName() + "' imports ai.onnx opset "
                            + o.getVersion() + ", the model " + v);
                }
            }
        }
    }

    /** The graph's nodes with every call of a local function replaced by the function's body. */
    static List<NodeProto> inline(ModelProto model, Map<String, Integer> modelOpsets) {
        if (model.getFunctionsCount() == 0) {
            return model.getGraph().getNodeList();
        }
        LocalFunctions f = new LocalFunctions(model, modelOpsets);
        model.getGraph().getNodeList().forEach(n -> {
            f.taken.addAll(n.getOutputList());
            f.taken.addAll(n.getInputList());
        });
        model.getGraph().getInputList().forEach(v -> f.taken.add(v.getName()));
        List<NodeProto> out = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            f.expand(n, out, 0);
        }
        return out;
    }

    private static String key(String domain, String name, String overload) {
        return Converters.canonicalDomain(domain) + "::" + name + "::" + overload;
    }

    private void expand(NodeProto call, List<NodeProto> out, int depth) {
        FunctionProto f = functions.get(key(call.getDomain(), call.getOpType(), call.getOverload()));
        if (f == null) {
            out.add(call);
            return;
        }
        String site = call.getName().isEmpty() ? f.getName() + "_" + calls : call.getName();
        calls++;
        if (depth >= MAX_DEPTH) {
            throw new OnnxImportException("function '" + f.getName() + "' nests deeper than " + MAX_DEPTH
                    + " calls (recursion?) at node '" + site + "'");
        }
        if (call.getInputCount() > f.getInputCount() || call.getOutputCount() > f.getOutputCount()) {
            throw new OnnxImportException("node '" + site + "' calls function '" + f.getName() + "' with "
                    + call.getInputCount() + " inputs and " + call.getOutputCount() + " outputs; it takes "
                    + f.getInputCount() + " and gives " + f.getOutputCount());
        }
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) {
            rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        }
        for (int i = 0; i < f.getOutputCount(); i++) {
            rename.put(f.getOutput(i), i < call.getOutputCount() ? call.getOutput(i) : unique(site + "/" + f.getOutput(i)));
        }
        Map<String, AttributeProto> given = new HashMap<>();
        call.getAttributeList().forEach(a -> given.put(a.getName(), a));
        Map<String, AttributeProto> defaults = new HashMap<>();
        f.getAttributeProtoList().forEach(a -> defaults.put(a.getName(), a));
        for (NodeProto inner : f.getNodeList()) {
            NodeProto.Builder b = inner.toBuilder().clearInput().clearOutput().clearAttribute()
                    .setName(site + "/" + (inner.getName().isEmpty() ? inner.getOpType() : inner.getName()));
            for (String in : inner.getInputList()) {
                if (in.isEmpty()) {
                    b.addInput("");
                } else if (rename.containsKey(in)) {
                    b.addInput(rename.get(in));
                } else {
                    throw new OnnxImportException("function '" + f.getName() + "': node '" + inner.getOpType()
                            + "' reads '" + in + "', which is no input of the function and made by no node before it");
                }
            }
            for (String o : inner.getOutputList()) {
                if (o.isEmpty()) {
                    b.addOutput("");
                    continue;
                }
                String outer = rename.computeIfAbsent(o, v -> unique(site + "/" + v));
                b.addOutput(outer);
            }
            for (AttributeProto a : inner.getAttributeList()) {
                if (!a.hasRefAttrName() || a.getRefAttrName().isEmpty()) {
                    b.addAttribute(a);
                    continue;
                }
                AttributeProto value = given.getOrDefault(a.getRefAttrName(), defaults.get(a.getRefAttrName()));
                if (value != null) {
                    b.addAttribute(value.toBuilder().setName(a.getName()));
                }
            }
            expand(b.build(), out, depth + 1);
        }
    }

    /** {@code name}, or with a counter when the graph already has it. */
    private String unique(String name) {
        String n = name;
        for (int i = 1; !taken.add(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }
}
