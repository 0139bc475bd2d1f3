package dev.dendrite.bench;

import dev.dendrite.attention.AttentionF;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Attention's training step (forward, loss = Σ outputs, backward) at the harness's {@code transformer_train_b32}
 * size: batch 32, 64 tokens, d = 128, 4 heads of 32.
 *
 * <ul>
 *   <li>{@code sdpaStep}: the attention plugin's scaled dot-product attention primitive on q, k, v [32, 4, 64, 32].
 *   <li>{@code composedSdpaStep}: the same arithmetic as a chain of core primitives (matmul, scale, softmax,
 *       matmul), each recorded on the tape: composed / fused is what the fused primitive saves.
 *   <li>{@code encoderLayerStep}: one {@code transformer_encoder_layer} (post-norm, ReLU, feed-forward 512, no
 *       dropout), gradients of the input and all parameters.
 * </ul>
 * Float32 inputs ~ N(0, 1) from a fixed seed; one thread, as the harness.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class AttentionBenchmark extends OffHeapState {
    private static final long SEED = 9;
    private static final int BATCH = 32;
    private static final int TOKENS = 64;
    private static final int D_MODEL = 128;
    private static final int HEADS = 4;

    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor x;
    private Layer encoder;

    @Setup
    public void setUp() {
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(SEED),
                Registries.discover(AttentionBenchmark.class.getClassLoader()).layers());
        encoder = ctx.build(RecurrentBenchmark.spec("transformer_encoder_layer", "{\"dModel\": " + D_MODEL
                + ", \"nhead\": " + HEADS + ", \"dimFeedforward\": 512, \"dropout\": 0, \"activation\": \"relu\","
                + " \"normFirst\": false, \"batchFirst\": true, \"layerNormEps\": 1e-5}"));
        encoder.train(true);
        Nd4j.getRandom().setSeed(SEED);
        long head = D_MODEL / HEADS;
        q = Tensor.leaf(Nd4j.randn(DataType.FLOAT, BATCH, HEADS, TOKENS, head));
        k = Tensor.leaf(Nd4j.randn(DataType.FLOAT, BATCH, HEADS, TOKENS, head));
        v = Tensor.leaf(Nd4j.randn(DataType.FLOAT, BATCH, HEADS, TOKENS, head));
        x = Tensor.leaf(Nd4j.randn(DataType.FLOAT, BATCH, TOKENS, D_MODEL));
    }

    private void backward(Tensor out, Blackhole bh) {
        q.zeroGrad();
        k.zeroGrad();
        v.zeroGrad();
        Tensor loss = F.sum(out, false);
        loss.backward();
        bh.consume(loss);
        bh.consume(q.grad());
        bh.consume(k.grad());
        bh.consume(v.grad());
    }

    @Benchmark
    public void sdpaStep(Blackhole bh) {
        backward(AttentionF.scaledDotProductAttention(q, k, v, null, false, Double.NaN), bh);
    }

    @Benchmark
    public void composedSdpaStep(Blackhole bh) {
        double scale = 1 / Math.sqrt(q.size(-1));
        Tensor scores = F.mul(F.matmul(q, F.transpose(k)), F.scalar(q, scale));
        backward(F.matmul(F.softmax(scores, -1), v), bh);
    }

    @Benchmark
    public void encoderLayerStep(Blackhole bh) {
        RecurrentBenchmark.step(encoder, x, bh);
    }
}
