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

    /**
     * The paper's (or benchmark's) reported test accuracy as a fraction, or as a band {low, high} where
     * the literature gives a range.
     */
    double[] paperAccuracy();

    /** The published figure as printed: "0.8833", or "0.876–0.916" for a band. */
    default String paperFigure() {
        return figure(paperAccuracy());
    }

    static String figure(double[] a) {
        return a.length == 1 || a[0] == a[1] ? String.format("%.4f", a[0]) : String.format("%.3f–%.3f", a[0], a[1]);
    }

    /** Where {@link #paperAccuracy()} is published, and on what data. */
    String paperSource();

    /** The run: model, loss, optimizer, schedule, epochs, batch size, seed and dataset. */
    TrainingSpec spec();
}
