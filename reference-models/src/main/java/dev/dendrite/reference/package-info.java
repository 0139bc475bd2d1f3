/** Paper reproductions, datasets and the {@code dendrite} command line (issue "Training, data, checkpoints"). */
package dev.dendrite.reference;
