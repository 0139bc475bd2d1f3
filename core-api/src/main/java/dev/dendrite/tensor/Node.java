package dev.dendrite.tensor;

/** One recorded application of a {@link Function}: the tape entry that backward walks. */
final class Node {
    Function function;
    Tensor[] inputs;
    final long[][] outputShapes;
    final org.nd4j.linalg.api.buffer.DataType[] outputTypes;

    Node(Function function, Tensor[] inputs, long[][] outputShapes,
            org.nd4j.linalg.api.buffer.DataType[] outputTypes) {
        this.function = function;
        this.inputs = inputs;
        this.outputShapes = outputShapes;
        this.outputTypes = outputTypes;
    }

    /** Frees the saved arrays once backward has passed, so the graph does not pin off-heap memory. */
    void release() {
        function = null;
        inputs = null;
    }
}
