package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Einsum, composed from primitives so it is differentiable: repeated labels within an operand take the
 * diagonal (multiply by an identity mask, sum one of the two axes), labels nobody else needs are summed
 * away, and operands are contracted left to right, each pair as one batched matmul over the permuted and
 * reshaped operands ([shared kept labels, A's own, contracted] · [shared kept, contracted, B's own]).
 * A final permute puts the labels in the output's order. Ellipses broadcast as NumPy's do.
 */
public final class EinsumConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Einsum");
    }

    /** One operand in flight: its tensor and the label of each axis (letters; ellipsis dims are negative). */
    private record Term(Tensor t, List<Integer> labels) {}

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        String eq = op.require("equation", String.class).replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] specs = lhs.split(",", -1);
        if (specs.length != inputs.length) {
            throw op.error("equation '" + eq + "' has " + specs.length + " operands, the node has " + inputs.length
                    + " inputs");
        }
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            Tensor t = op.input(inputs, i, "operand " + i);
            terms.add(new Term(t, parse(op, specs[i], t.rank(), eq)));
        }
        // Expand each operand's ellipsis marker (null) into its dims, right-aligned to the widest.
        int widest = 0;
        for (int i = 0; i < terms.size(); i++) {
            List<Integer> l = terms.get(i).labels;
            int e = l.contains(null) ? terms.get(i).t.rank() - (l.size() - 1) : 0;
            widest = Math.max(widest, e);
        }
        for (int i = 0; i < terms.size(); i++) {
            Term term = terms.get(i);
            List<Integer> l = new ArrayList<>();
            for (Integer label : term.labels) {
                if (label == null) {
                    int e = term.t.rank() - (term.labels.size() - 1);
                    for (int g = widest - e; g < widest; g++) {
                        l.add(-1 - g);
                    }
                } else {
                    l.add(label);
                }
            }
            terms.set(i, new Term(term.t, l));
        }
        List<Integer> output = output(op, eq, arrow, terms, widest);
        Map<Integer, Long> sizes = sizes(op, terms);
        long[] outShape = output.stream().mapToLong(sizes::get).toArray();
        op.checkShape(outShape, "output");
        if (sizes.values().stream().anyMatch(s -> s == 0)) {
            // Some label is empty: every sum is empty, so the result is zeros.
            INDArray z = Nd4j.create(terms.get(0).t.dtype(), outShape);
            return new Tensor[] {Tensor.of(z)};
        }
        for (int i = 0; i < terms.size(); i++) {
            terms.set(i, diagonals(op, terms.get(i)));
        }
        Term cur = null;
        for (int i = 0; i < terms.size(); i++) {
            // First sum away what only this operand has and the output does not.
            Term next = sumAway(terms.get(i), needed(output, terms, i, 0));
            if (cur == null) {
                cur = next;
            } else {
                List<Integer> keep = needed(output, terms, -1, i + 1);
                List<Integer> shared = new ArrayList<>(keep);
                shared.addAll(next.labels);
                cur = contract(op, sumAway(cur, shared), next, keep, sizes);
            }
        }
        int[] perm = new int[output.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = cur.labels.indexOf(output.get(i));
        }
        Tensor y = ShapeArgs.permute(cur.t, perm);
        if (!Arrays.equals(y.shape(), outShape)) {
            y = F.expand(y, outShape);
        }
        return new Tensor[] {y};
    }

    /** Labels of one operand: letters as their char, the ellipsis as a single null. */
    private static List<Integer> parse(OnnxOp op, String spec, int rank, String eq) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (spec.startsWith("...", i)) {
                if (l.contains(null)) {
                    throw op.error("equation '" + eq + "' has two ellipses in one operand");
                }
                l.add(null);
                i += 2;
            } else if (Character.isLetter(c) && c < 128) {
                l.add((int) c);
            } else {
                throw op.error("equation '" + eq + "' has an invalid character '" + c + "'");
            }
        }
        int letters = l.contains(null) ? l.size() - 1 : l.size();
        if (l.contains(null) ? letters > rank : letters != rank) {
            throw op.error("operand '" + spec + "' of '" + eq + "' does not fit an input of rank " + rank);
        }
        return l;
    }

    private static List<Integer> output(OnnxOp op, String eq, int arrow, List<Term> terms, int widest) {
        List<Integer> out = new ArrayList<>();
        if (arrow >= 0) {
            String rhs = eq.substring(arrow + 2);
            for (int i = 0; i < rhs.length(); i++) {
                if (rhs.startsWith("...", i)) {
                    if (rhs.indexOf("...", i + 3) >= 0) {
                        throw op.error("equation '" + eq + "' has two ellipses in its output");
                    }
                    for (int g = 0; g < widest; g++) {
                        out.add(-1 - g);
                    }
                    i += 2;
                    continue;
                }
                char c = rhs.charAt(i);
                if (!Character.isLetter(c) || c >= 128) {
                    throw op.error("equation '" + eq + "' has an invalid output character '" + c + "'");
                }
                if (out.contains((int) c) || terms.stream().noneMatch(t -> t.labels.contains((int) c))) {
                    throw op.error("output label '" + c + "' of '" + eq + "' is repeated or not in any operand");
                }
                out.add((int) c);
            }
            return out;
        }
        // Implicit: the ellipsis dims, then the letters used exactly once, alphabetically.
        for (int g = 0; g < widest; g++) {
            out.add(-1 - g);
        }
        Map<Integer, Integer> count = new HashMap<>();
        terms.forEach(t -> t.labels.stream().filter(l -> l >= 0).forEach(l -> count.merge(l, 1, Integer::sum)));
        count.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey).sorted().forEach(out::add);
        return out;
    }

    /** Each label's size; letters must agree, ellipsis dims broadcast (1 against n). */
    private static Map<Integer, Long> sizes(OnnxOp op, List<Term> terms) {
        Map<Integer, Long> sizes = new HashMap<>();
        for (Term term : terms) {
            long[] shape = term.t.shape();
            for (int a = 0; a < shape.length; a++) {
                int label = term.labels.get(a);
                Long old = sizes.get(label);
                long s = shape[a];
                if (old == null || old == 1 && label < 0) {
                    sizes.put(label, s);
                } else if (old != s && !(label < 0 && s == 1)) {
                    throw op.error("label " + name(label) + " has size " + old + " in one place and " + s
                            + " in another");
                }
            }
        }
        return sizes;
    }

    private static String name(int label) {
        return label >= 0 ? "'" + (char) label + "'" : "ellipsis dim " + (-1 - label);
    }

    /** Takes the diagonal for each label repeated within the operand (x·I, then the sum over the copy). */
    private static Term diagonals(OnnxOp op, Term term) {
        Tensor t = term.t;
        List<Integer> labels = new ArrayList<>(term.labels);
        for (int q = 1; q < labels.size(); q++) {
            int p = labels.subList(0, q).indexOf(labels.get(q));
            if (p < 0) {
                continue;
            }
            long n = t.shape()[p];
            long[] eyeShape = new long[labels.size()];
            Arrays.fill(eyeShape, 1);
            eyeShape[p] = n;
            eyeShape[q] = n;
            op.checkShape(new long[] {n, n}, "diagonal mask");
            Tensor eye = Tensor.of(Nd4j.eye(n).castTo(t.dtype()).reshape(eyeShape));
            t = F.sum(F.mul(t, eye), false, q);
            labels.remove(q);
            q--;
        }
        return new Term(t, labels);
    }

    /** The output's labels and those of every operand from {@code from} on, except operand {@code skip}. */
    private static List<Integer> needed(List<Integer> output, List<Term> terms, int skip, int from) {
        List<Integer> keep = new ArrayList<>(output);
        for (int j = from; j < terms.size(); j++) {
            if (j != skip) {
                keep.addAll(terms.get(j).labels);
            }
        }
        return keep;
    }

    /** Sums over the axes whose label is not in {@code keep}. */
    private static Term sumAway(Term term, List<Integer> keep) {
        List<Integer> kept = new ArrayList<>();
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < term.labels.size(); a++) {
            int label = term.labels.get(a);
            if (keep.contains(label)) {
                kept.add(label);
            } else {
                axes.add(a);
            }
        }
        if (axes.isEmpty()) {
            return term;
        }
        return new Term(F.sum(term.t, false, axes.stream().mapToInt(Integer::intValue).toArray()), kept);
    }

    /** One pairwise contraction as a batched matmul; the result holds batch, a-only, then b-only labels. */
    private static Term contract(OnnxOp op, Term a, Term b, List<Integer> keep, Map<Integer, Long> sizes) {
        List<Integer> batch = new ArrayList<>();
        List<Integer> inner = new ArrayList<>();
        List<Integer> aOnly = new ArrayList<>();
        List<Integer> bOnly = new ArrayList<>();
        for (int l : a.labels) {
            if (b.labels.contains(l)) {
                (keep.contains(l) ? batch : inner).add(l);
            } else {
                aOnly.add(l);
            }
        }
        for (int l : b.labels) {
            if (!a.labels.contains(l)) {
                bOnly.add(l);
            }
        }
        long bt = product(op, batch, sizes);
        long m = product(op, aOnly, sizes);
        long k = product(op, inner, sizes);
        long n = product(op, bOnly, sizes);
        op.checkShape(new long[] {bt, m, n}, "intermediate product");
        Tensor x = arrange(a, concat(batch, aOnly, inner), sizes, new long[] {bt, m, k});
        Tensor y = arrange(b, concat(batch, inner, bOnly), sizes, new long[] {bt, k, n});
        List<Integer> labels = concat(batch, aOnly, bOnly);
        long[] shape = labels.stream().mapToLong(sizes::get).toArray();
        return new Term(F.reshape(F.matmul(x, y), shape), labels);
    }

    /** The operand permuted to {@code order}, broadcast to the full label sizes, then reshaped to 3-D. */
    private static Tensor arrange(Term term, List<Integer> order, Map<Integer, Long> sizes, long[] threeD) {
        int[] perm = order.stream().mapToInt(term.labels::indexOf).toArray();
        Tensor t = ShapeArgs.permute(term.t, perm);
        long[] full = order.stream().mapToLong(sizes::get).toArray();
        if (!Arrays.equals(t.shape(), full)) {
            t = F.expand(t, full);
        }
        return F.reshape(t, threeD);
    }

    private static long product(OnnxOp op, List<Integer> labels, Map<Integer, Long> sizes) {
        long p = 1;
        for (int l : labels) {
            p = ShapeArgs.times(op, p, sizes.get(l), "intermediate size");
        }
        return p;
    }

    @SafeVarargs
    private static List<Integer> concat(List<Integer>... parts) {
        List<Integer> out = new ArrayList<>();
        for (List<Integer> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
