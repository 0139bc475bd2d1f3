package dev.dendrite.rnn;

import dev.dendrite.tensor.Tensor;

/**
 * What a recurrent layer returns, as PyTorch's {@code (output, h_n)} or {@code (output, (h_n, c_n))}.
 *
 * @param output the last layer's outputs at every step, [T, N, D·H] ([N, T, D·H] when batch-first); zero at
 *     steps past a sequence's length
 * @param hidden the state after each sequence's last step, [L·D, N, H], layer-major then direction
 * @param cell the LSTM cell state in the same layout; null for GRU and RNN
 */
public record RecurrentOutput(Tensor output, Tensor hidden, Tensor cell) {}
