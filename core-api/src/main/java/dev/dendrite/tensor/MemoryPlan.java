package dev.dendrite.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a plan's arrays live. A buffer first written by the step is an intermediate: it gets a slot in one
 * arena per dtype, live from its first to its last access (or to the end, for step outputs and gradients);
 * slots whose lifetimes do not overlap share memory, placed largest first at the lowest offset that fits (the
 * greedy-by-size planner of TFLite and ONNX Runtime). A buffer first read is persistent (a parameter, a
 * buffer, a constant): the plan uses it as it is.
 */
final class MemoryPlan {
    /** Cache-line alignment, in bytes, so that no slot starts where an eager allocation could not. */
    private static final long ALIGN = 64;

    /** An intermediate's slot: its arena and offset (in elements of its dtype). */
    record Slot(DataBuffer arena, long offset) {}

    private final Map<DataBuffer, Slot> slots;
    private final List<INDArray> persistent;
    private final long arenaBytes;
    private final long unsharedBytes;

    private MemoryPlan(Map<DataBuffer, Slot> slots, List<INDArray> persistent, long arenaBytes, long unsharedBytes) {
        this.slots = slots;
        this.persistent = persistent;
        this.arenaBytes = arenaBytes;
        this.unsharedBytes = unsharedBytes;
    }

    /**
     * Frees the arenas now rather than when the garbage collector finds them: a discarded plan (the one a
     * verification used, or an evicted signature's) would otherwise hold its memory for a while. The plan's
     * arrays must not be used afterwards.
     */
    void release() {
        java.util.Set<DataBuffer> arenas = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        slots.values().forEach(s -> arenas.add(s.arena()));
        for (DataBuffer a : arenas) {
            a.close();
        }
        slots.clear();
    }

    /** The slot of an intermediate buffer, or null for a persistent one. */
    Slot slot(DataBuffer base) {
        return slots.get(base);
    }

    List<INDArray> persistent() {
        return persistent;
    }

    long arenaBytes() {
        return arenaBytes;
    }

    /** What the intermediates would take without sharing: the saving is arenaBytes against this. */
    long unsharedBytes() {
        return unsharedBytes;
    }

    static final class Builder {
        private static final int END = Integer.MAX_VALUE;

        private static final class Life {
            final DataBuffer base;
            final boolean intermediate;
            final int first;
            int last;
            INDArray example;

            Life(DataBuffer base, boolean intermediate, int first, INDArray example) {
                this.base = base;
                this.intermediate = intermediate;
                this.first = first;
                this.last = first;
                this.example = example;
            }

            long bytes() {
                return base.length() * base.dataType().width();
            }
        }

        private final Map<DataBuffer, Life> lives = new IdentityHashMap<>();
        private final List<Life> order = new ArrayList<>();

        /** An access at event {@code e}; the first access decides whether the buffer is an intermediate. */
        void access(DataBuffer base, int e, boolean write, INDArray array) {
            Life l = lives.get(base);
            if (l == null) {
                l = new Life(base, write, e, array);
                lives.put(base, l);
                order.add(l);
            }
            l.last = Math.max(l.last, e);
        }

        void keepToEnd(DataBuffer base) {
            Life l = base == null ? null : lives.get(base);
            if (l != null) {
                l.last = END;
            }
        }

        MemoryPlan build(boolean share) {
            List<INDArray> persistent = new ArrayList<>();
            Map<DataType, List<Life>> byType = new EnumMap<>(DataType.class);
            long unshared = 0;
            for (Life l : order) {
                if (l.intermediate) {
                    byType.computeIfAbsent(l.base.dataType(), t -> new ArrayList<>()).add(l);
                    unshared += align(l.bytes());
                } else {
                    persistent.add(l.example);
                }
            }
            Map<DataBuffer, Slot> slots = new IdentityHashMap<>();
            long total = 0;
            for (Map.Entry<DataType, List<Life>> e : byType.entrySet()) {
                long width = e.getKey().width();
                List<Life> ls = e.getValue();
                long[] offsets = new long[ls.size()];
                long size = share ? pack(ls, offsets) : stack(ls, offsets);
                DataBuffer arena = Nd4j.createBuffer(e.getKey(), Math.max(1, size / width), false);
                for (int i = 0; i < ls.size(); i++) {
                    slots.put(ls.get(i).base, new Slot(arena, offsets[i] / width));
                }
                total += size;
            }
            return new MemoryPlan(slots, List.copyOf(persistent), total, unshared);
        }

        /** Every buffer its own slot (a plan that shares nothing, for verification). */
        private static long stack(List<Life> ls, long[] offsets) {
            long at = 0;
            for (int i = 0; i < ls.size(); i++) {
                offsets[i] = at;
                at += align(ls.get(i).bytes());
            }
            return at;
        }

        /** Greedy by size: largest first, at the lowest offset clear of every placed slot it overlaps in time. */
        private static long pack(List<Life> ls, long[] offsets) {
            Integer[] bySize = new Integer[ls.size()];
            for (int i = 0; i < bySize.length; i++) {
                bySize[i] = i;
            }
            java.util.Arrays.sort(bySize, Comparator.comparingLong((Integer i) -> -ls.get(i).bytes())
                    .thenComparingInt(i -> ls.get(i).first));
            List<Integer> placed = new ArrayList<>();
            long top = 0;
            for (int i : bySize) {
                Life l = ls.get(i);
                long size = align(l.bytes());
                List<long[]> busy = new ArrayList<>();
                for (int j : placed) {
                    Life o = ls.get(j);
                    if (o.first <= l.last && l.first <= o.last) {
                        busy.add(new long[] {offsets[j], offsets[j] + align(o.bytes())});
                    }
                }
                busy.sort(Comparator.comparingLong(r -> r[0]));
                long at = 0;
                for (long[] r : busy) {
                    if (r[0] - at >= size) {
                        break;
                    }
                    at = Math.max(at, r[1]);
                }
                offsets[i] = at;
                placed.add(i);
                top = Math.max(top, at + size);
            }
            return top;
        }

        private static long align(long bytes) {
            return (bytes + ALIGN - 1) / ALIGN * ALIGN;
        }
    }
}
