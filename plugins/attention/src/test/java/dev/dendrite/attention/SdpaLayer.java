package dev.dendrite.attention;

import dev.dendrite.nn.Module;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The primitive as a layer of (q, k, v), so the exporter and ORT can see it; an optional float mask is trained. */
final class SdpaLayer extends Module {
    private final Tensor mask;
    private final boolean causal;
    private final double scale;

    /** @param boolMask a constant bool mask, or null; @param floatMask a trained bias, or null */
    SdpaLayer(INDArray boolMask, INDArray floatMask, boolean causal, double scale) {
        super("sdpa_test");
        this.mask = floatMask != null ? parameter("bias", floatMask) : boolMask == null ? null : Tensor.of(boolMask);
        this.causal = causal;
        this.scale = scale;
    }

    @Override
    protected Tensor call(Tensor[] in) {
        return AttentionF.scaledDotProductAttention(in[0], in[1], in[2], mask, causal, scale);
    }
}
