package dev.dendrite.reference.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte, including broken ones, for the reader's tests. */
final class IdxBytes {
    private IdxBytes() {}

    /** A header with {@code magic} and {@code dims} (each written as an unsigned 32-bit int), then {@code payload}. */
    static byte[] idx(int magic, long[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length).putInt(magic);
        for (long d : dims) {
            b.putInt((int) d);
        }
        return b.put(payload).array();
    }

    static byte[] images(int n, int h, int w, byte[] pixels) {
        return idx(0x00000803, new long[] {n, h, w}, pixels);
    }

    static byte[] labels(byte... labels) {
        return idx(0x00000801, new long[] {labels.length}, labels);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code n} bytes 0, 1, ..., 255, 0, 1, ... so that every unsigned value appears. */
    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
