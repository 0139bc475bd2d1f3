package dev.dendrite.onnxbridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses a Relu or Clip into the node before it, where that node's converter applies a clamp to its own output
 * ({@link dev.dendrite.onnx.OnnxConverter#fusesClamp}, a convolution) and the activation alone reads that
 * output, which is not a graph output. The pair becomes one step that computes the activation's output in one
 * pass; whether the activation really is a clamp (its bounds are read then) is decided when the step runs, and
 * when it is not the two nodes run one after the other, as imported.
 */
final class ClampFusion {
    private ClampFusion() {}

    static List<ImportedModel.Step> fuse(List<ImportedModel.Step> steps, Set<String> graphOutputs) {
        Map<String, Integer> reads = new HashMap<>();
        Map<String, Integer> reader = new HashMap<>();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            for (String o : steps.get(i).outputs()) {
                producer.put(o, i);
            }
            for (String in : steps.get(i).inputs()) {
                reads.merge(in, 1, Integer::sum);
                reader.put(in, i);
            }
        }
        List<ImportedModel.Step> fused = new ArrayList<>(steps);
        boolean[] absorbed = new boolean[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            ImportedModel.Step s = steps.get(i);
            if (s.outputs().length != 1 || s.outputs()[0].isEmpty() || !s.converter().fusesClamp(s.eval())) {
                continue;
            }
            String out = s.outputs()[0];
            Integer j = reader.get(out);
            if (j == null || reads.get(out) != 1 || graphOutputs.contains(out) || !activation(steps.get(j))
                    || !steps.get(j).inputs()[0].equals(out) || !readyBy(steps.get(j), i, producer)) {
                continue;
            }
            fused.set(i, s.then(steps.get(j)));
            absorbed[j] = true;
        }
        List<ImportedModel.Step> result = new ArrayList<>();
        for (int i = 0; i < fused.size(); i++) {
            if (!absorbed[i]) {
                result.add(fused.get(i));
            }
        }
        return result;
    }

    /** Whether the activation's other inputs (Clip's bounds) exist when step {@code at} runs. */
    private static boolean readyBy(ImportedModel.Step activation, int at, Map<String, Integer> producer) {
        for (int k = 1; k < activation.inputs().length; k++) {
            Integer p = producer.get(activation.inputs()[k]);
            if (p != null && p >= at) {
                return false;
            }
        }
        return true;
    }

    private static boolean activation(ImportedModel.Step s) {
        String type = s.eval().opType();
        return s.eval().domain().equals("ai.onnx") && (type.equals("Relu") || type.equals("Clip"))
                && s.outputs().length == 1;
    }
}
