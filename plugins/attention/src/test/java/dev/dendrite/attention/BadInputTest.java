package dev.dendrite.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Wrong configs, shapes and masks fail in Java with messages naming the layer, the expected and the actual shape. */
class BadInputTest {
    private static LayerContext ctx() {
        return new LayerContext(DataType.DOUBLE, new Rng(1),
                Registries.discover(BadInputTest.class.getClassLoader()).layers());
    }

    private static void fails(String message, Executable e) {
        assertEquals(message, assertThrows(ShapeException.class, e).getMessage());
    }

    private static Tensor x(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.DOUBLE, shape));
    }

    private static Tensor bool(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.BOOL, shape));
    }

    @Test
    void configErrors() {
        fails("multi_head_attention: embedDim 10 must be divisible by numHeads 3",
                () -> new MultiheadAttention(MultiheadAttention.Config.of(10, 3), ctx()));
        fails("transformer_encoder_layer: dModel 10 must be divisible by nhead 4",
                () -> new TransformerEncoderLayer(TransformerEncoderLayer.Config.of(10, 4, 16), ctx()));
        fails("transformer_decoder_layer: activation must be \"relu\" or \"gelu\", got \"tanh\"",
                () -> new TransformerDecoderLayer(TransformerDecoderLayer.Config.of(8, 2, 16).withActivation("tanh"),
                        ctx()));
        fails("positional_encoding: kind must be \"sinusoidal\" or \"learned\", got \"rotary\"",
                () -> new PositionalEncoding(new PositionalEncoding.Config(8, 16, "rotary", 0, false), ctx()));
    }

    @Test
    void wrongEmbeddingSize() {
        MultiheadAttention mha = new MultiheadAttention(MultiheadAttention.Config.of(8, 2), ctx());
        fails("layer 'multi_head_attention' (multi_head_attention): expected query [L, N, 8] (time first), got [5, 2, 6]",
                () -> mha.forward(x(5, 2, 6)));
        fails("layer 'multi_head_attention' (multi_head_attention): key and value must be [S, 2, 8] with one S, got "
                + "query [5, 2, 8], key [4, 2, 8], value [3, 2, 8]", () -> mha.forward(x(5, 2, 8), x(4, 2, 8), x(3, 2, 8)));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(TransformerEncoderLayer.Config.of(8, 2, 16)
                .withBatchFirst(true), ctx());
        fails("layer 'transformer_encoder_layer' (transformer_encoder_layer): expected src [N, L, 8] (batch first), "
                + "got [2, 5, 4]", () -> enc.forward(x(2, 5, 4)));
        PositionalEncoding pe = new PositionalEncoding(PositionalEncoding.Config.sinusoidal(8, 4), ctx());
        fails("layer 'positional_encoding' (positional_encoding): sequence length 5 exceeds maxLen 4 (input "
                + "[5, 2, 8])", () -> pe.forward(x(5, 2, 8)));
    }

    @Test
    void maskShapeMismatch() {
        MultiheadAttention mha = new MultiheadAttention(MultiheadAttention.Config.of(8, 2), ctx());
        fails("layer 'multi_head_attention' (multi_head_attention): key_padding_mask must be [N, S] = [2, 6], got "
                + "[2, 5]", () -> mha.attend(x(4, 2, 8), x(6, 2, 8), x(6, 2, 8), bool(2, 5), null, false, false));
        fails("layer 'multi_head_attention' (multi_head_attention): attn_mask must be [L, S] = [4, 6] or "
                + "[N·heads, L, S] = [4, 4, 6], got [6, 4]",
                () -> mha.attend(x(4, 2, 8), x(6, 2, 8), x(6, 2, 8), null, bool(6, 4), false, false));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(TransformerEncoderLayer.Config.of(8, 2, 16), ctx());
        fails("layer 'self_attn' (multi_head_attention): key_padding_mask must be [N, S] = [2, 5], got [5, 2]",
                () -> enc.encode(x(5, 2, 8), null, bool(5, 2), false));
        fails("layer 'multi_head_attention' (multi_head_attention): scaled_dot_product_attention: the mask must be bool"
                + " (true = masked) or DOUBLE (an additive bias), got FLOAT", () -> mha.attend(x(4, 2, 8), x(6, 2, 8),
                        x(6, 2, 8), null, Tensor.of(Nd4j.zeros(DataType.FLOAT, 4, 6)), false, false));
    }
}
