package dev.dendrite.onnxbridge;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The steps of an imported graph whose outputs are constants once the graph inputs' shapes are known: Constant,
 * Shape and Size, and any standard op all of whose inputs are such constants or integer initializers (the
 * Gather/Unsqueeze/Concat/Cast/Div chains that PyTorch exports to rebuild a shape with a dynamic batch axis).
 * {@link ImportedModel} computes them once per signature, outside any compiled step's recording, and hands the
 * same arrays to later calls: ShuffleNetV2 x0.5 has 77 Shape and ~300 such nodes, each a native call (or a
 * checked Gather) per step otherwise. Random ops never fold.
 */
final class ShapeFolding {
    private static final Set<String> RANDOM = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    private ShapeFolding() {}

    /** For each step, whether it folds; {@code constants} are the names of the non-float initializers. */
    static boolean[] foldable(List<ImportedModel.Step> steps, Set<String> constants) {
        Set<String> known = new HashSet<>(constants);
        boolean[] folds = new boolean[steps.size()];
        for (int i = 0; i < folds.length; i++) {
            ImportedModel.Step s = steps.get(i);
            String type = s.eval().opType();
            boolean standard = s.eval().domain().equals("ai.onnx") && s.then() == null && !RANDOM.contains(type);
            boolean fromShape = type.equals("Shape") || type.equals("Size");
            boolean allKnown = true;
            for (String in : s.inputs()) {
                allKnown &= in.isEmpty() || known.contains(in);
            }
            folds[i] = standard && (fromShape || allKnown);
            if (folds[i]) {
                for (String out : s.outputs()) {
                    if (!out.isEmpty()) {
                        known.add(out);
                    }
                }
            }
        }
        return folds;
    }
}
