package dev.dendrite.bench.dl4j;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J at its best here: its oneDNN helpers on the convolution and pooling layers. DL4J 1.0.0-M2.1 ships them
 * switched off ({@code org.eclipse.deeplearning4j.helpers.disable} defaults to true), and turning that property
 * off is not enough: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and its {@code isUseMKLDNN()}, which ND4J M2.1 renamed
 * ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}, {@code isUseONEDNN()}), so every helper
 * is removed as "not supported". We set each layer's helper field after
 * {@code init()} instead, which is all the layers consult at run time. The helpers run libnd4j's conv2d and
 * maxpool2d ops (forward and backward), whose oneDNN implementations our build carries. DL4J has no CPU helper for
 * LSTM or dense layers (those use its own BLAS code in both modes).
 */
final class OneDnnHelpers {
    private OneDnnHelpers() {}

    /** Gives every convolution and pooling layer of {@code net} its oneDNN helper; returns how many it set. */
    static int engage(MultiLayerNetwork net) {
        int set = 0;
        for (Layer l : net.getLayers()) {
            // Exact classes: depthwise, separable, deconvolution and 3-D layers extend these but must not get them.
            if (l.getClass() == ConvolutionLayer.class) {
                set(ConvolutionLayer.class, l, new MKLDNNConvHelper(DataType.FLOAT));
                set++;
            } else if (l.getClass() == SubsamplingLayer.class) {
                set(SubsamplingLayer.class, l, new MKLDNNSubsamplingHelper(DataType.FLOAT));
                set++;
            }
        }
        return set;
    }

    private static void set(Class<?> owner, Layer layer, Object helper) {
        try {
            Field f = owner.getDeclaredField("helper");
            f.setAccessible(true);
            f.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set DL4J's oneDNN helper on " + owner.getSimpleName(), e);
        }
    }
}
