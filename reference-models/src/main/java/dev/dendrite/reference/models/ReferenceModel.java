package dev.dendrite.reference.models;

import dev.dendrite.train.TrainingSpec;

/**
 * A paper's model as Dendrite trains it: the run as a spec, and the published figure ours is printed
 * beside.
 */
public interface ReferenceModel {
    /** The name on the command line: {@code dendrite reproduce NAME}. */
    String name();

    /** One line: what the model is and where it comes from. */
    String title();

    /** The paper's (or benchmark's) reported test accuracy, as a fraction. */
    double paperAccuracy();

    /** Where {@link #paperAccuracy()} is published, and on what data. */
    String paperSource();

    /** The run: model, loss, optimizer, schedule, epochs, batch size, seed and dataset. */
    TrainingSpec spec();
}
