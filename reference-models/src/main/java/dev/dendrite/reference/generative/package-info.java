/**
 * Generative reproductions on Fashion-MNIST (issue 8): Hinton and Salakhutdinov's deep autoencoder against
 * PCA, and Kingma and Welling's variational autoencoder. The GAN study lives in the gan plugin.
 */
package dev.dendrite.reference.generative;
