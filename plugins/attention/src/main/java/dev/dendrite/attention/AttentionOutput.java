package dev.dendrite.attention;

import dev.dendrite.tensor.Tensor;

/**
 * What {@link MultiheadAttention#attend} returns, as PyTorch's {@code nn.MultiheadAttention}: the output and,
 * when asked for, the attention weights [N, L, S] averaged over the heads (after dropout), else null.
 */
public record AttentionOutput(Tensor output, Tensor weights) {}
