package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The elementwise activations, with ONNX's attribute defaults. Relu also takes integers (opset 14),
 * natively and without gradient.
 */
public final class ActivationConverter implements OnnxConverter {
    private static final double SQRT_2_OVER_PI = 0.79788456080286535588;

    @Override
    public Set<String> opTypes() {
        return Set.of("Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "Softplus", "Softsign", "Tanh",
                "Gelu");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        if (!MathSupport.floating(x)) {
            if (op.opType().equals("Relu") && x.dtype().isIntType()) {
                return MathSupport.one(op, Tensor.of(Transforms.relu(x.data(), true)));
            }
            throw MathSupport.unsupportedType(op, x);
        }
        Tensor y = switch (op.opType()) {
            case "Relu" -> F.relu(x);
            case "LeakyRelu" -> F.leakyRelu(x, op.attr("alpha", 0.01));
            case "Elu" -> F.elu(x, op.attr("alpha", 1.0));
            case "Selu" -> selu(op, x);
            case "Sigmoid" -> F.sigmoid(x);
            case "HardSigmoid" -> F.hardSigmoid(x, op.attr("alpha", 0.2), op.attr("beta", 0.5));
            case "Softplus" -> F.softplus(x);
            case "Softsign" -> F.softsign(x);
            case "Tanh" -> F.tanh(x);
            default -> gelu(op, x);
        };
        return MathSupport.one(op, y);
    }

    /** Relu is the clamp (0, ∞). */
    @Override
    public Clamp asClamp(OnnxOp op, Tensor[] inputs) {
        return op.opType().equals("Relu") ? Clamp.RELU : null;
    }

    /** With the default constants the fused primitive; otherwise γ·elu(x, α), which is the same formula. */
    private static Tensor selu(OnnxOp op, Tensor x) {
        if (!op.has("alpha") && !op.has("gamma")) {
            return F.selu(x);
        }
        double alpha = op.attr("alpha", 1.67326319217681884765625);
        double gamma = op.attr("gamma", 1.05070102214813232421875);
        return F.mul(F.elu(x, alpha), gamma);
    }

    /** Exact (erf) GELU, or the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    private static Tensor gelu(OnnxOp op, Tensor x) {
        String approximate = op.attr("approximate", "none");
        switch (approximate) {
            case "none":
                return F.gelu(x);
            case "tanh":
                Tensor cube = F.mul(F.mul(x, x), x);
                Tensor inner = F.mul(F.add(x, F.mul(cube, 0.044715)), SQRT_2_OVER_PI);
                return F.mul(F.mul(x, 0.5), F.add(F.tanh(inner), 1.0));
            default:
                throw op.error("approximate='" + approximate + "' is not supported (none, tanh)");
        }
    }
}
