package dev.dendrite.tensor;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns each array the eager step used into the array the plan uses: the same view (shape, strides, offset)
 * over the plan's own memory for intermediates and step inputs, the array itself for persistent ones. One
 * plan array per eager array, so that every op context bound to it sees the same object.
 */
final class Remap {
    private final MemoryPlan memory;
    private final Map<DataBuffer, Integer> inputBases;
    private final INDArray[] inputs;
    private final Map<INDArray, INDArray> done = new IdentityHashMap<>();

    Remap(MemoryPlan memory, Map<DataBuffer, Integer> inputBases, INDArray[] stepInputs) {
        this.memory = memory;
        this.inputBases = inputBases;
        this.inputs = new INDArray[stepInputs.length];
        for (int i = 0; i < stepInputs.length; i++) {
            // The step saw a contiguous copy of each input; the plan keeps one of its own to copy new inputs into.
            inputs[i] = Kernels.empty(stepInputs[i].dataType(), stepInputs[i].shape());
        }
    }

    INDArray[] inputs() {
        return inputs;
    }

    INDArray[] all(INDArray[] arrays) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = map(arrays[i]);
        }
        return out;
    }

    INDArray map(INDArray a) {
        if (a == null || a.isEmpty()) {
            return a;
        }
        INDArray m = done.get(a);
        if (m == null) {
            m = remap(a);
            done.put(a, m);
        }
        return m;
    }

    private INDArray remap(INDArray a) {
        DataBuffer base = Plan.base(a);
        Integer input = inputBases.get(base);
        if (input != null) {
            return view(inputs[input].data(), 0, a);
        }
        MemoryPlan.Slot slot = memory.slot(base);
        return slot == null ? a : view(slot.arena(), slot.offset(), a);
    }

    private static INDArray view(DataBuffer memory, long offset, INDArray like) {
        return Nd4j.create(memory, like.shape(), like.stride(), offset + like.offset(), like.ordering());
    }
}
