package dev.dendrite.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One libnd4j custom op bound once to fixed, preallocated inputs and outputs: the cheapest way ND4J can
 * run a kernel from Java, and so the floor that every other variant is compared with. Plain ND4J, no
 * Dendrite code, so it measures what a hand-tuned caller could reach.
 */
final class NativeCall implements Runnable {
    private final DynamicCustomOp op;
    private final OpContext context;

    NativeCall(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs) {
        this(name, inputs, outputs, iArgs, tArgs, true);
    }

    /** As above, choosing whether libnd4j may hand the op to a platform helper (oneDNN). */
    NativeCall(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs, boolean helpers) {
        op = DynamicCustomOp.builder(name).build();
        context = Nd4j.getExecutioner().buildContext();
        context.allowHelpers(helpers);
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        if (iArgs != null) {
            context.setIArguments(iArgs);
        }
        if (tArgs != null) {
            context.setTArguments(tArgs);
        }
    }

    @Override
    public void run() {
        Nd4j.getExecutioner().exec(op, context);
    }
}
