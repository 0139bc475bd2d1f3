package dev.dendrite.rnn.ops;

/** Which way a recurrence runs over time, as the ONNX RNN, GRU and LSTM ops' {@code direction} attribute. */
public enum Direction {
    FORWARD("forward", 1),
    REVERSE("reverse", 1),
    BIDIRECTIONAL("bidirectional", 2);

    private final String onnx;
    private final int count;

    Direction(String onnx, int count) {
        this.onnx = onnx;
        this.count = count;
    }

    /** The ONNX attribute value. */
    public String onnx() {
        return onnx;
    }

    /** num_directions: the leading dimension of W, R, B, the initial states and Y_h. */
    public int count() {
        return count;
    }

    /** The direction named by an ONNX {@code direction} attribute, or null for an unknown name. */
    public static Direction ofOnnx(String name) {
        for (Direction d : values()) {
            if (d.onnx.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
