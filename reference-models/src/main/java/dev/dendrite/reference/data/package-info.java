/**
 * Real data for the reference models: an IDX reader (the MNIST family's format) and Fashion-MNIST,
 * loaded from a {@code --data} directory, Debian's {@code dataset-fashion-mnist} or the subset bundled in
 * this jar, in that order.
 */
package dev.dendrite.reference.data;
