/**
 * Sequence reproductions on the rnn plugin: a Graves (2013)-style character LSTM language model against a smoothed
 * bigram baseline ({@code char-lstm}), and Cho et al.'s (2014) GRU encoder–decoder on digit-sequence reversal
 * ({@code seq2seq-gru}). Neither uses Fashion-MNIST: the text and the synthetic task are made or read here.
 */
package dev.dendrite.reference.sequence;
