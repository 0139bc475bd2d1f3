#!/usr/bin/python3
"""Generate the small PyTorch -> ONNX test fixtures used by the onnx-bridge tests.

What it makes: one folder per model under
    onnx-bridge/src/test/resources/fixtures/<name>/
holding
    model.onnx            torch.onnx.export (opset 17, no constant folding, params
                          exported, eval mode, batch dim 0 dynamic)
    input_<i>.pb          the inputs (onnx TensorProto, named as the graph inputs)
    output_<i>.pb         PyTorch's eval-mode outputs (named as the graph outputs)
    target.pb, loss.txt   loss target and loss kind (mse | bce | cross_entropy)
    loss.pb               the loss value, float32 scalar (shape [])
    grad_<init>.pb        d loss / d initializer for every float initializer of the
                          graph ('/' and ':' in the name become '_' in the file name
                          only; the TensorProto keeps the exact initializer name)
    grad_input_0.pb       d loss / d input_0
plus fixtures/README.md describing every fixture.

Losses: mse = mean squared error over all elements of output 0; bce = mean binary
cross-entropy of output 0 (a probability) against float targets in [0,1];
cross_entropy = mean over the batch of -log_softmax(logits, dim=1)[target] with
int64 targets of shape [N].

Gradients are taken in eval mode (BatchNorm uses its running stats, which are
initializers and get gradients too; no dropout) with torch.autograd. Every float
initializer is matched to the PyTorch parameter/buffer it came from; the match is
asserted on the values (exactly) and the gradient is mapped with the same
transformation. The script then checks every fixture independently: it re-reads
the files, runs model.onnx with onnx.reference if that exists (onnx >= 1.13) or
else with a small float64 NumPy interpreter of the ONNX ops used here, compares
the outputs and the loss with PyTorch's, and checks the stored gradients against
central finite differences of that interpreter.

Rerun (from the repository root; needs Debian's python3-torch and python3-onnx):
    /usr/bin/python3 onnx-bridge/src/test/python/make_fixtures.py [NAME ...]
With names, only those fixtures are (re)made and checked; README.md keeps the other
fixtures' sections as they are (so adding a fixture does not rewrite the others' files).

The Java build never runs this script; its outputs are committed.
"""

import math
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))
OPSET = 17
SEED = 20240601


# --------------------------------------------------------------------------- models

class Sequence(nn.Module):
    """A recurrent layer (batch_first) followed by a Linear on the full output sequence."""

    def __init__(self, rnn, head):
        super().__init__()
        self.rnn = rnn
        self.head = head

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y)


class Unflatten(nn.Module):
    """x.reshape(-1, *shape): nn.Unflatten (aten::unflatten) has no ONNX export in torch 1.13."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape((-1,) + self.shape)


class RbfBroadcast(nn.Module):
    """Gaussian RBF by broadcasting, width as a log-parameter, then a Linear head.

    phi_j(x) = exp(-exp(log_gamma_j) * ||x - c_j||^2).
    """

    def __init__(self, features, centres, outputs):
        super().__init__()
        self.centres = nn.Parameter(torch.randn(centres, features))
        self.log_gamma = nn.Parameter(torch.full((centres,), math.log(1.0 / features)))
        self.head = nn.Linear(centres, outputs)

    def forward(self, x):
        d2 = (x.unsqueeze(1) - self.centres.unsqueeze(0)).pow(2).sum(-1)
        return self.head(torch.exp(-torch.exp(self.log_gamma) * d2))


class RbfCdist(nn.Module):
    """Gaussian RBF on torch.cdist with a width sigma per centre: exp(-cdist(x, c)^2 * (1 / (2 sigma^2)))."""

    def __init__(self, features, centres, outputs):
        super().__init__()
        self.centres = nn.Parameter(torch.randn(centres, features))
        self.sigma = nn.Parameter(torch.full((centres,), math.sqrt(features)))
        self.head = nn.Linear(centres, outputs)

    def forward(self, x):
        return self.head(torch.exp(-torch.cdist(x, self.centres) ** 2 * (1 / (2 * self.sigma ** 2))))


class RbfNorm(nn.Module):
    """Gaussian RBF on Tensor.norm(p=2) (ReduceL2) with one scalar length scale."""

    def __init__(self, features, centres, outputs):
        super().__init__()
        self.centres = nn.Parameter(torch.randn(centres, features))
        self.length_scale = nn.Parameter(torch.tensor(math.sqrt(2.0 * features)))
        self.head = nn.Linear(centres, outputs)

    def forward(self, x):
        dist = (x[:, None, :] - self.centres[None]).norm(p=2, dim=-1)
        return self.head(torch.exp(-(dist / self.length_scale) ** 2))


class RandomFourierFeatures(nn.Module):
    """sqrt(2/D) cos(x W^T + b) with W ~ N(0, 1/l^2), b ~ U[0, 2 pi) as buffers, then a Linear head."""

    def __init__(self, features, dim, outputs, length_scale):
        super().__init__()
        self.register_buffer("W", torch.randn(dim, features) / length_scale)
        self.register_buffer("b", 2 * math.pi * torch.rand(dim))
        self.scale = math.sqrt(2.0 / dim)
        self.head = nn.Linear(dim, outputs)

    def forward(self, x):
        return self.head(self.scale * torch.cos(x @ self.W.T + self.b))


def _perturb_vectors(model, gen_scale=0.1):
    """Add noise to every 1-D parameter (biases, BatchNorm/LayerNorm affine).

    Default inits make many of these all-zeros or all-ones; torch.onnx then
    deduplicates identical initializers into one (with Identity nodes), which
    would make a single ONNX initializer stand for several PyTorch parameters.
    Distinct random values avoid that and make the value-based mapping unique.
    """
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 1:
                p.add_(gen_scale * torch.randn_like(p))


def _warm_up_batchnorm(model, make_input, passes=5):
    """Give BatchNorm non-trivial running stats with a few train-mode passes."""
    model.train()
    with torch.no_grad():
        for _ in range(passes):
            model(make_input())
    model.eval()


def build_mlp():
    model = nn.Sequential(
        nn.Linear(20, 32), nn.ReLU(),
        nn.Linear(32, 16), nn.Tanh(),
        nn.Linear(16, 5))
    x = torch.randn(4, 20)
    return dict(model=model, inputs=[x], loss="cross_entropy",
                target=torch.randint(0, 5, (4,), dtype=torch.int64),
                description="Linear(20,32) -> ReLU -> Linear(32,16) -> Tanh -> Linear(16,5)")


def build_cnn_bn():
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
        nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 2 * 2, 3))
    _warm_up_batchnorm(model, lambda: 1.5 * torch.randn(8, 1, 12, 12) + 0.3)
    x = torch.randn(2, 1, 12, 12)
    return dict(model=model, inputs=[x], loss="cross_entropy",
                target=torch.randint(0, 3, (2,), dtype=torch.int64),
                description="Conv2d(1,4,3,padding=1) -> BatchNorm2d(4) -> ReLU -> MaxPool2d(2) -> "
                            "Conv2d(4,8,3) -> BatchNorm2d(8) -> ReLU -> AvgPool2d(2) -> Flatten -> Linear(32,3)")


def build_lstm():
    model = Sequence(nn.LSTM(input_size=6, hidden_size=8, batch_first=True), nn.Linear(8, 3))
    x = torch.randn(3, 5, 6)
    return dict(model=model, inputs=[x], loss="mse", target=torch.randn(3, 5, 3),
                description="LSTM(input_size=6, hidden_size=8, batch_first=True), full output sequence -> Linear(8,3)")


def build_gru():
    model = Sequence(nn.GRU(input_size=6, hidden_size=8, batch_first=True), nn.Linear(8, 2))
    x = torch.randn(3, 5, 6)
    return dict(model=model, inputs=[x], loss="mse", target=torch.randn(3, 5, 2),
                description="GRU(input_size=6, hidden_size=8, batch_first=True), full output sequence -> Linear(8,2)")


def build_transformer_block():
    model = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0,
                                       batch_first=True)
    x = torch.randn(2, 5, 16)
    return dict(model=model, inputs=[x], loss="mse", target=torch.randn(2, 5, 16),
                description="TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, "
                            "batch_first=True) (post-norm, ReLU)")


def build_convtranspose_generator():
    model = nn.Sequential(
        nn.Linear(8, 16 * 3 * 3), nn.ReLU(),
        Unflatten((16, 3, 3)),
        nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.ConvTranspose2d(8, 1, 4, stride=2, padding=1), nn.Sigmoid())
    _warm_up_batchnorm(model, lambda: torch.randn(8, 8))
    x = torch.randn(2, 8)
    return dict(model=model, inputs=[x], loss="bce", target=torch.rand(2, 1, 12, 12),
                description="Linear(8,144) -> ReLU -> reshape(-1,16,3,3) -> "
                            "ConvTranspose2d(16,8,4,stride=2,padding=1) -> BatchNorm2d(8) -> ReLU -> "
                            "ConvTranspose2d(8,1,4,stride=2,padding=1) -> Sigmoid")


def build_rbf_broadcast():
    model = RbfBroadcast(16, 8, 3)
    x = torch.randn(5, 16)
    return dict(model=model, inputs=[x], loss="cross_entropy",
                target=torch.randint(0, 3, (5,), dtype=torch.int64),
                description="Gaussian RBF, 8 centres in R^16: exp(-exp(log_gamma) * "
                            "(x.unsqueeze(1) - centres.unsqueeze(0)).pow(2).sum(-1)) -> Linear(8,3)")


def build_rbf_cdist():
    model = RbfCdist(20, 12, 4)
    x = torch.randn(6, 20)
    return dict(model=model, inputs=[x], loss="mse", target=torch.randn(6, 4),
                description="Gaussian RBF, 12 centres in R^20: exp(-torch.cdist(x, centres) ** 2 * "
                            "(1 / (2 * sigma ** 2))), sigma per centre -> Linear(12,4)")


def build_rbf_norm():
    model = RbfNorm(16, 10, 3)
    x = torch.randn(4, 16)
    with torch.no_grad():
        model.centres[3] = x[1]  # an input on a centre: distance exactly 0 (centres drawn from the data)
    return dict(model=model, inputs=[x], loss="cross_entropy",
                target=torch.randint(0, 3, (4,), dtype=torch.int64),
                description="Gaussian RBF, 10 centres in R^16, centre 3 = input row 1 (a zero distance): "
                            "exp(-((x[:, None] - centres[None]).norm(p=2, dim=-1) / length_scale) ** 2), "
                            "scalar length_scale -> Linear(10,3)")


def build_rff_cos():
    model = RandomFourierFeatures(16, 12, 3, length_scale=4.0)
    x = torch.randn(5, 16)
    return dict(model=model, inputs=[x], loss="mse", target=torch.randn(5, 3),
                description="random Fourier features: sqrt(2/12) * cos(x @ W.T + b), W [12,16] ~ N(0, 1/16) "
                            "and b [12] ~ U[0, 2 pi) as buffers -> Linear(12,3)")


BUILDERS = [
    ("mlp", build_mlp),
    ("cnn_bn", build_cnn_bn),
    ("lstm", build_lstm),
    ("gru", build_gru),
    ("transformer_block", build_transformer_block),
    ("convtranspose_generator", build_convtranspose_generator),
    ("rbf_broadcast", build_rbf_broadcast),
    ("rbf_cdist", build_rbf_cdist),
    ("rbf_norm", build_rbf_norm),
    ("rff_cos", build_rff_cos),
]


# --------------------------------------------------------------------------- losses

def torch_loss(kind, out, target):
    if kind == "mse":
        return F.mse_loss(out, target, reduction="mean")
    if kind == "bce":
        return F.binary_cross_entropy(out, target, reduction="mean")
    if kind == "cross_entropy":
        return F.cross_entropy(out, target, reduction="mean")
    raise ValueError(kind)


def numpy_loss(kind, out, target):
    """The same losses, written out in float64 NumPy (independent of torch)."""
    out = out.astype(np.float64)
    if kind == "mse":
        return float(np.mean((out - target) ** 2))
    if kind == "bce":
        t = target.astype(np.float64)
        return float(np.mean(-(t * np.log(out) + (1 - t) * np.log(1 - out))))
    if kind == "cross_entropy":
        m = out.max(axis=1, keepdims=True)
        logsm = out - m - np.log(np.exp(out - m).sum(axis=1, keepdims=True))
        return float(np.mean(-logsm[np.arange(out.shape[0]), target]))
    raise ValueError(kind)


# --------------------------------------------------------------------------- gradients

def _explicit_batchnorm_forward(self, x):
    """Eval-mode BatchNorm written out so autograd reaches the running stats too."""
    shape = [1, -1] + [1] * (x.dim() - 2)
    scale = self.weight / torch.sqrt(self.running_var + self.eps)
    return (x - self.running_mean.view(shape)) * scale.view(shape) + self.bias.view(shape)


def eval_forward_with_grads(model, inputs, loss_kind, target):
    """Forward in eval mode and gradients of the loss w.r.t. inputs, params and float buffers.

    Returns (outputs, loss, {pytorch name: grad}, [input grads]).
    """
    model.eval()
    # The eval-time reference outputs, from the module's own forward.
    with torch.enable_grad():
        ref_out = model(*inputs)
    ref_outs = list(ref_out) if isinstance(ref_out, (tuple, list)) else [ref_out]

    # Make float buffers (BatchNorm running stats) differentiable leaves and use the
    # written-out BatchNorm so gradients reach them.
    saved_buffers = {}
    patched = []
    for mod_name, mod in model.named_modules():
        for b_name, b in list(mod._buffers.items()):
            if b is not None and b.is_floating_point():
                saved_buffers[(mod_name, b_name)] = b
                mod._buffers[b_name] = b.detach().clone().requires_grad_(True)
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            mod.forward = _explicit_batchnorm_forward.__get__(mod)
            patched.append(mod)
    try:
        xs = [x.detach().clone().requires_grad_(x.is_floating_point()) for x in inputs]
        model.zero_grad(set_to_none=True)
        out = model(*xs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        for a, b in zip(outs, ref_outs):
            assert torch.allclose(a, b, rtol=1e-5, atol=1e-6), "written-out BatchNorm differs from module"
        loss = torch_loss(loss_kind, outs[0], target)
        leaves = dict(model.named_parameters())
        for mod_name, mod in model.named_modules():
            for b_name, b in mod._buffers.items():
                if b is not None and b.requires_grad:
                    leaves[(mod_name + "." if mod_name else "") + b_name] = b
        names = list(leaves)
        float_xs = [x for x in xs if x.is_floating_point()]
        grads = torch.autograd.grad(loss, [leaves[n] for n in names] + float_xs, allow_unused=True)
        grad_map = {}
        for n, g in zip(names, grads[:len(names)]):
            grad_map[n] = torch.zeros_like(leaves[n]) if g is None else g.detach()
        input_grads = [g.detach() if g is not None else torch.zeros_like(x)
                       for g, x in zip(grads[len(names):], float_xs)]
    finally:
        for mod in patched:
            del mod.forward
        for (mod_name, b_name), b in saved_buffers.items():
            model.get_submodule(mod_name)._buffers[b_name] = b
    return [o.detach() for o in ref_outs], loss.detach(), grad_map, input_grads


# --------------------------------------------------------------------------- initializer mapping

LSTM_GATES = [0, 3, 1, 2]   # PyTorch [i, f, g, o] -> ONNX [i, o, f, c]
GRU_GATES = [1, 0, 2]       # PyTorch [r, z, n]    -> ONNX [z, r, h]


def _reorder_gates(t, order):
    blocks = torch.chunk(t, len(order), dim=0)
    return torch.cat([blocks[i] for i in order], dim=0)


def candidate_transforms(model):
    """(description, [pytorch names], fn) triples; fn maps PyTorch tensors to an ONNX layout.

    Every fn is a pure rearrangement (permutation / reshape / concatenation of
    distinct tensors), so the gradient maps with the same fn.
    """
    cands = []
    tensors = dict(model.named_parameters())
    tensors.update({n: b for n, b in model.named_buffers() if b.is_floating_point()})
    for n in tensors:
        cands.append(("identity", [n], lambda t: t[0]))
        cands.append(("unsqueeze(0)", [n], lambda t: t[0].unsqueeze(0)))
        if tensors[n].dim() == 2:
            cands.append(("transpose", [n], lambda t: t[0].t()))
    # Recurrent layers: ONNX W/R/B layouts, in case the exporter emits them folded.
    for mod_name, mod in model.named_modules():
        if isinstance(mod, (nn.LSTM, nn.GRU)):
            order = LSTM_GATES if isinstance(mod, nn.LSTM) else GRU_GATES
            gname = "LSTM [i,f,g,o]->[i,o,f,c]" if isinstance(mod, nn.LSTM) else "GRU [r,z,n]->[z,r,h]"
            p = (mod_name + ".") if mod_name else ""
            for layer in range(mod.num_layers):
                sfx = "_l%d" % layer
                wih, whh = p + "weight_ih" + sfx, p + "weight_hh" + sfx
                bih, bhh = p + "bias_ih" + sfx, p + "bias_hh" + sfx
                for nm in (wih, whh):
                    cands.append(("gate reorder %s + unsqueeze(0)" % gname, [nm],
                                  lambda t, o=order: _reorder_gates(t[0], o).unsqueeze(0)))
                    cands.append(("gate reorder %s" % gname, [nm],
                                  lambda t, o=order: _reorder_gates(t[0], o)))
                if mod.bias:
                    cands.append(("B = concat(reorder(bias_ih), reorder(bias_hh)) %s + unsqueeze(0)" % gname,
                                  [bih, bhh],
                                  lambda t, o=order: torch.cat([_reorder_gates(t[0], o),
                                                                _reorder_gates(t[1], o)]).unsqueeze(0)))
                    cands.append(("B = concat(reorder(bias_ih), reorder(bias_hh)) %s" % gname,
                                  [bih, bhh],
                                  lambda t, o=order: torch.cat([_reorder_gates(t[0], o),
                                                                _reorder_gates(t[1], o)])))
    return cands, tensors


def map_initializers(onnx_model, model):
    """For every float initializer find the unique PyTorch source and transformation.

    Asserts exact value equality, that each initializer has exactly one match and
    that every float PyTorch parameter/buffer is used by exactly one initializer.
    Returns {initializer name: (description, [pytorch names], fn)}.
    """
    cands, tensors = candidate_transforms(model)
    mapping = {}
    used = {}
    for init in onnx_model.graph.initializer:
        if init.data_type not in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE,
                                  onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16):
            continue
        value = numpy_helper.to_array(init)
        matches = []
        for desc, names, fn in cands:
            with torch.no_grad():
                v = fn([tensors[n] for n in names]).detach().numpy()
            if v.shape == value.shape and v.dtype == value.dtype and np.array_equal(v, value):
                matches.append((desc, names, fn))
        # Prefer the plain name match when several transforms agree (e.g. a 1x1 weight).
        exact = [m for m in matches if m[0] == "identity" and m[1] == [init.name]]
        if exact:
            matches = exact
        if len(matches) != 1:
            raise AssertionError("initializer %r %s: %d PyTorch matches (%s)" % (
                init.name, list(value.shape), len(matches), [(m[0], m[1]) for m in matches]))
        mapping[init.name] = matches[0]
        for n in matches[0][1]:
            if n in used:
                raise AssertionError("PyTorch tensor %r used by initializers %r and %r (deduplicated?)"
                                     % (n, used[n], init.name))
            used[n] = init.name
    missing = [n for n in tensors if n not in used]
    if missing:
        raise AssertionError("PyTorch tensors with no ONNX initializer: %s" % missing)
    return mapping


# --------------------------------------------------------------------------- export + write

def file_safe(name):
    return name.replace("/", "_").replace(":", "_")


def write_tensor(path, array, name):
    t = numpy_helper.from_array(np.array(array, order="C"), name=name)  # (ascontiguousarray would make 0-d 1-d)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def read_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def op_summary(onnx_model):
    counts = {}
    for n in onnx_model.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    return counts


def make_fixture(name, builder):
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    spec = builder()
    model = spec["model"]
    _perturb_vectors(model)
    model.eval()
    inputs = spec["inputs"]
    target = spec["target"]
    loss_kind = spec["loss"]

    out_dir = os.path.join(FIXTURES, name)
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):  # drop stale files from an earlier run (our own kinds only)
        if f.endswith(".pb") or f in ("model.onnx", "loss.txt"):
            os.remove(os.path.join(out_dir, f))

    outputs, loss, grad_map, input_grads = eval_forward_with_grads(model, inputs, loss_kind, target)

    input_names = ["input_%d" % i for i in range(len(inputs))]
    output_names = ["output_%d" % i for i in range(len(outputs))]
    dynamic_axes = {n: {0: "batch"} for n in input_names + output_names}
    model_path = os.path.join(out_dir, "model.onnx")
    assert not any(mod.training for mod in model.modules())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, tuple(inputs), model_path, export_params=True, opset_version=OPSET,
                          do_constant_folding=False, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes,
                          # The model is in eval mode; PRESERVE exports it as such but skips the
                          # exporter's eval-only peephole pass, which (even with constant folding
                          # off) fuses Conv + BatchNormalization into one Conv with new
                          # initializers (onnx::Conv_NN) and drops the BatchNormalization node.
                          training=torch.onnx.TrainingMode.PRESERVE)
    onnx_model = onnx.load(model_path)
    onnx.checker.check_model(onnx_model)
    graph_inputs = [i.name for i in onnx_model.graph.input]
    graph_outputs = [o.name for o in onnx_model.graph.output]
    assert graph_inputs == input_names, graph_inputs
    assert graph_outputs == output_names, graph_outputs
    for vi in list(onnx_model.graph.input) + list(onnx_model.graph.output):
        d0 = vi.type.tensor_type.shape.dim[0]
        assert d0.dim_param and not d0.HasField("dim_value"), "batch dim of %s is not dynamic" % vi.name
    for node in onnx_model.graph.node:
        assert node.domain in ("", "ai.onnx"), "non-standard op %s::%s" % (node.domain, node.op_type)
        if node.op_type == "GRU":
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            assert attrs.get("linear_before_reset") == 1, "GRU exported without linear_before_reset=1"

    mapping = map_initializers(onnx_model, model)

    for i, (n, x) in enumerate(zip(input_names, inputs)):
        write_tensor(os.path.join(out_dir, "input_%d.pb" % i), x.numpy(), n)
    for i, (n, y) in enumerate(zip(output_names, outputs)):
        write_tensor(os.path.join(out_dir, "output_%d.pb" % i), y.numpy(), n)
    write_tensor(os.path.join(out_dir, "target.pb"), target.numpy(), "target")
    with open(os.path.join(out_dir, "loss.txt"), "w") as f:
        f.write(loss_kind + "\n")
    write_tensor(os.path.join(out_dir, "loss.pb"), np.array(loss.item(), dtype=np.float32), "loss")

    init_info = []
    for init in onnx_model.graph.initializer:
        if init.name not in mapping:
            continue
        desc, names, fn = mapping[init.name]
        with torch.no_grad():
            g = fn([grad_map[n] for n in names]).numpy().astype(np.float32)
        assert list(g.shape) == list(init.dims)
        write_tensor(os.path.join(out_dir, "grad_%s.pb" % file_safe(init.name)), g, init.name)
        init_info.append((init.name, list(init.dims), desc, names))
    float_inputs = [n for n, x in zip(input_names, inputs) if x.is_floating_point()]
    for n, g in zip(float_inputs, input_grads):
        write_tensor(os.path.join(out_dir, "grad_%s.pb" % n), g.numpy(), n)

    return dict(name=name, description=spec["description"], loss=loss_kind,
                input_shapes=[list(x.shape) for x in inputs],
                output_shapes=[list(y.shape) for y in outputs],
                target_shape=list(target.shape), target_dtype=str(target.dtype).replace("torch.", ""),
                ops=op_summary(onnx_model), inits=init_info, loss_value=loss.item())


# --------------------------------------------------------------------------- independent check

def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _conv2d(x, w, b, strides, pads, dilations, group):
    assert group == 1 and tuple(dilations) == (1, 1)
    n, c, h, wd = x.shape
    co, ci, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (xp.shape[2] - kh) // strides[0] + 1
    ow = (xp.shape[3] - kw) // strides[1] + 1
    y = np.zeros((n, co, oh, ow), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + strides[0] * oh:strides[0], j:j + strides[1] * ow:strides[1]]
            y += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def _conv_transpose2d(x, w, b, strides, pads, dilations, group, output_padding):
    assert group == 1 and tuple(dilations) == (1, 1)
    n, ci, h, wd = x.shape
    _, co, kh, kw = w.shape
    full_h = (h - 1) * strides[0] + kh + output_padding[0]
    full_w = (wd - 1) * strides[1] + kw + output_padding[1]
    y = np.zeros((n, co, full_h, full_w), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            y[:, :, i:i + strides[0] * h:strides[0], j:j + strides[1] * wd:strides[1]] += \
                np.einsum("nchw,co->nohw", x, w[:, :, i, j])
    y = y[:, :, pads[0]:full_h - pads[2], pads[1]:full_w - pads[3]]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def _pool2d(x, kernel, strides, pads, reduce):
    assert all(p == 0 for p in pads)
    n, c, h, w = x.shape
    oh = (h - kernel[0]) // strides[0] + 1
    ow = (w - kernel[1]) // strides[1] + 1
    windows = [x[:, :, i:i + strides[0] * oh:strides[0], j:j + strides[1] * ow:strides[1]]
               for i in range(kernel[0]) for j in range(kernel[1])]
    return reduce(np.stack(windows), axis=0)


def _rnn(op, a, ins):
    x, w, r = ins[0], ins[1], ins[2]
    b = ins[3] if len(ins) > 3 else None
    assert len(ins) <= 4 or ins[4] is None, "sequence_lens not supported"
    assert a.get("direction", b"forward") in (b"forward", "forward")
    assert "activations" not in a and "clip" not in a and a.get("layout", 0) == 0
    hs = a["hidden_size"]
    t_len, batch, _ = x.shape
    h = ins[5][0] if len(ins) > 5 and ins[5] is not None else np.zeros((batch, hs))
    gates = 4 if op == "LSTM" else 3
    if b is None:
        b = np.zeros((1, 2 * gates * hs))
    w, r, wb, rb = w[0], r[0], b[0][:gates * hs], b[0][gates * hs:]
    ys = []
    if op == "LSTM":
        assert len(ins) <= 7 or ins[7] is None, "peepholes not supported"
        c = ins[6][0] if len(ins) > 6 and ins[6] is not None else np.zeros((batch, hs))
        for t in range(t_len):
            g = x[t] @ w.T + h @ r.T + wb + rb
            i_, o_, f_, c_ = np.split(g, 4, axis=1)
            c = _sigmoid(f_) * c + _sigmoid(i_) * np.tanh(c_)
            h = _sigmoid(o_) * np.tanh(c)
            ys.append(h)
        return [np.stack(ys)[:, None], h[None], c[None]]
    lbr = a.get("linear_before_reset", 0)
    wz, wr, wh = np.split(w, 3, axis=0)
    rz, rr, rh = np.split(r, 3, axis=0)
    wbz, wbr, wbh = np.split(wb, 3)
    rbz, rbr, rbh = np.split(rb, 3)
    for t in range(t_len):
        z = _sigmoid(x[t] @ wz.T + h @ rz.T + wbz + rbz)
        rg = _sigmoid(x[t] @ wr.T + h @ rr.T + wbr + rbr)
        if lbr:
            hh = np.tanh(x[t] @ wh.T + rg * (h @ rh.T + rbh) + wbh)
        else:
            hh = np.tanh(x[t] @ wh.T + (rg * h) @ rh.T + rbh + wbh)
        h = (1 - z) * hh + z * h
        ys.append(h)
    return [np.stack(ys)[:, None], h[None]]


def _slice(x, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps]
    idx = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        dim = x.shape[ax]
        s, e = int(s), int(e)
        s = max(0, min(dim, s + dim if s < 0 else s))
        e = max(0, min(dim, e + dim if e < 0 else e))
        idx[ax] = slice(s, e, st)
    return x[tuple(idx)]


def _run_node(node, ins):
    op, a = node.op_type, _attrs(node)
    if op == "Constant":
        return [numpy_helper.to_array(a["value"]) if "value" in a else np.array(a.get("value_float", a.get("value_int")))]
    if op == "Identity":
        return [ins[0]]
    if op == "Shape":
        return [np.array(ins[0].shape, dtype=np.int64)]
    if op == "Gather":
        return [np.take(ins[0], ins[1], axis=a.get("axis", 0))]
    if op == "Unsqueeze":
        y = ins[0]
        for ax in sorted(int(v) % (y.ndim + len(ins[1])) for v in np.atleast_1d(ins[1])):
            y = np.expand_dims(y, ax)
        return [y]
    if op == "Squeeze":
        return [np.squeeze(ins[0], axis=tuple(int(v) for v in np.atleast_1d(ins[1])))]
    if op == "Concat":
        return [np.concatenate([np.atleast_1d(v) for v in ins], axis=a["axis"])]
    if op == "ConstantOfShape":
        v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
        return [np.full(tuple(int(s) for s in ins[0]), v.reshape(-1)[0], dtype=np.float64 if v.dtype == np.float32 else v.dtype)]
    if op == "Transpose":
        return [np.transpose(ins[0], a.get("perm"))]
    if op == "Slice":
        return [_slice(ins[0], ins[1], ins[2], *(ins[3:] + [None] * (5 - len(ins)))[:2])]
    if op == "Reshape":
        shape = [int(s) for s in ins[1]]
        shape = [ins[0].shape[i] if s == 0 and not a.get("allowzero", 0) else s for i, s in enumerate(shape)]
        return [ins[0].reshape(shape)]
    if op == "Flatten":
        ax = a.get("axis", 1)
        return [ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)]
    if op == "Cast":
        to = a["to"]
        dt = np.float64 if to in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE) else \
            onnx.helper.tensor_dtype_to_np_dtype(to) if hasattr(onnx.helper, "tensor_dtype_to_np_dtype") else \
            onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to]
        return [np.asarray(ins[0]).astype(dt)]
    if op in ("Add", "Sub", "Mul"):
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply}[op]
        return [f(ins[0], ins[1])]
    if op == "Div":
        if np.issubdtype(np.asarray(ins[0]).dtype, np.integer):
            return [np.asarray(np.trunc(ins[0] / ins[1])).astype(np.asarray(ins[0]).dtype)]
        return [ins[0] / ins[1]]
    if op == "Sqrt":
        return [np.sqrt(ins[0])]
    if op == "Pow":
        return [np.power(ins[0], ins[1])]
    if op == "Neg":
        return [-ins[0]]
    if op == "Exp":
        return [np.exp(ins[0])]
    if op == "Cos":
        return [np.cos(ins[0])]
    if op == "Reciprocal":
        return [1.0 / ins[0]]
    if op in ("ReduceSum", "ReduceL2"):
        # Axes: an input (ReduceSum from opset 13) or an attribute (ReduceL2 before opset 18).
        axes = ins[1] if len(ins) > 1 and ins[1] is not None else a.get("axes")
        if axes is None or len(axes) == 0:
            assert not a.get("noop_with_empty_axes", 0)
            axes = range(ins[0].ndim)
        axes = tuple(int(v) % ins[0].ndim for v in np.atleast_1d(axes))
        keep = bool(a.get("keepdims", 1))
        if op == "ReduceSum":
            return [np.sum(ins[0], axis=axes, keepdims=keep)]
        return [np.sqrt(np.sum(np.square(ins[0]), axis=axes, keepdims=keep))]
    if op == "MatMul":
        return [np.matmul(ins[0], ins[1])]
    if op == "Gemm":
        A = ins[0].T if a.get("transA", 0) else ins[0]
        B = ins[1].T if a.get("transB", 0) else ins[1]
        y = a.get("alpha", 1.0) * (A @ B)
        if len(ins) > 2 and ins[2] is not None:
            y = y + a.get("beta", 1.0) * ins[2]
        return [y]
    if op == "Relu":
        return [np.maximum(ins[0], 0)]
    if op == "Tanh":
        return [np.tanh(ins[0])]
    if op == "Sigmoid":
        return [_sigmoid(ins[0])]
    if op == "Softmax":
        ax = a.get("axis", -1)
        e = np.exp(ins[0] - ins[0].max(axis=ax, keepdims=True))
        return [e / e.sum(axis=ax, keepdims=True)]
    if op == "Conv":
        k = ins[1].shape[2:]
        return [_conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("strides", [1, 1]),
                        a.get("pads", [0, 0, 0, 0]), a.get("dilations", [1, 1]), a.get("group", 1))]
    if op == "ConvTranspose":
        assert "output_shape" not in a
        return [_conv_transpose2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("strides", [1, 1]),
                                  a.get("pads", [0, 0, 0, 0]), a.get("dilations", [1, 1]), a.get("group", 1),
                                  a.get("output_padding", [0, 0]))]
    if op == "BatchNormalization":
        assert not a.get("training_mode", 0)
        x, s, b, m, v = ins
        shp = (1, -1) + (1,) * (x.ndim - 2)
        return [(x - m.reshape(shp)) / np.sqrt(v.reshape(shp) + a.get("epsilon", 1e-5)) * s.reshape(shp)
                + b.reshape(shp)]
    if op in ("MaxPool", "AveragePool"):
        assert not a.get("ceil_mode", 0) and a.get("dilations", [1, 1]) == [1, 1]
        k = a["kernel_shape"]
        return [_pool2d(ins[0], k, a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]),
                        np.max if op == "MaxPool" else np.mean)]
    if op == "LayerNormalization":
        ax = a.get("axis", -1) % ins[0].ndim
        axes = tuple(range(ax, ins[0].ndim))
        mu = ins[0].mean(axis=axes, keepdims=True)
        var = ((ins[0] - mu) ** 2).mean(axis=axes, keepdims=True)
        y = (ins[0] - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * ins[1]
        if len(ins) > 2 and ins[2] is not None:
            y = y + ins[2]
        return [y]
    if op in ("LSTM", "GRU"):
        return _rnn(op, a, ins)
    if op == "Pad":
        mode = a.get("mode", b"constant")
        assert mode in (b"constant", "constant") and (len(ins) < 4 or ins[3] is None)
        pads = [int(v) for v in ins[1]]
        r = ins[0].ndim
        assert all(v >= 0 for v in pads)
        value = ins[2].item() if len(ins) > 2 and ins[2] is not None else 0.0
        return [np.pad(ins[0], [(pads[i], pads[i + r]) for i in range(r)], constant_values=value)]
    raise NotImplementedError(op)


def numpy_run(onnx_model, feeds, overrides=None):
    """Evaluate the graph in float64 NumPy. overrides replaces initializer values."""
    env = {}
    for init in onnx_model.graph.initializer:
        v = numpy_helper.to_array(init)
        env[init.name] = v.astype(np.float64) if v.dtype == np.float32 else v
    if overrides:
        env.update(overrides)
    for k, v in feeds.items():
        env[k] = v.astype(np.float64) if v.dtype == np.float32 else v
    for node in onnx_model.graph.node:
        ins = [env[n] if n else None for n in node.input]
        outs = _run_node(node, ins)
        for n, v in zip(node.output, outs):
            if n:
                env[n] = v
    return [env[o.name] for o in onnx_model.graph.output]


def reference_run(onnx_model, feeds):
    """onnx.reference when present (onnx >= 1.13); None otherwise."""
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return None
    return ReferenceEvaluator(onnx_model).run(None, feeds)


def check_fixture(name):
    d = os.path.join(FIXTURES, name)
    m = onnx.load(os.path.join(d, "model.onnx"))
    onnx.checker.check_model(m)
    feeds, outs = {}, []
    for gi in m.graph.input:
        n, v = read_tensor(os.path.join(d, "%s.pb" % gi.name))
        assert n == gi.name
        feeds[n] = v
    for i, go in enumerate(m.graph.output):
        n, v = read_tensor(os.path.join(d, "output_%d.pb" % i))
        assert n == go.name
        outs.append(v)
    _, target = read_tensor(os.path.join(d, "target.pb"))
    with open(os.path.join(d, "loss.txt")) as f:
        kind = f.read().strip()
    _, loss = read_tensor(os.path.join(d, "loss.pb"))
    assert loss.shape == () and loss.dtype == np.float32

    ref = reference_run(m, feeds)
    if ref is not None:
        for a, b in zip(ref, outs):
            assert np.allclose(a, b, rtol=1e-4, atol=1e-5), "%s: onnx.reference output differs" % name

    got = numpy_run(m, feeds)
    for a, b in zip(got, outs):
        assert a.shape == b.shape, (a.shape, b.shape)
        err = np.max(np.abs(a - b))
        assert np.allclose(a, b, rtol=1e-4, atol=1e-5), "%s: NumPy run differs from PyTorch by %g" % (name, err)
    loss64 = numpy_loss(kind, got[0], target)
    assert abs(loss64 - float(loss)) <= 1e-5 * max(1.0, abs(loss64)), (name, loss64, float(loss))

    # Gradients: compare each stored gradient with a central finite difference of the
    # float64 NumPy run along a random direction (per initializer, and for input_0).
    rng = np.random.RandomState(0)
    inits = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer
             if i.data_type == onnx.TensorProto.FLOAT}
    targets = [(n, "grad_%s.pb" % file_safe(n), v, True) for n, v in inits.items()]
    if feeds["input_0"].dtype == np.float32:
        targets.append(("input_0", "grad_input_0.pb", feeds["input_0"].astype(np.float64), False))
    eps = 1e-6
    worst = 0.0
    for n, fname, value, is_init in targets:
        gname, grad = read_tensor(os.path.join(d, fname))
        assert gname == n and grad.shape == value.shape, (gname, n, grad.shape, value.shape)
        direction = rng.standard_normal(value.shape)
        fd = []
        for sgn in (1, -1):
            v = value + sgn * eps * direction
            if is_init:
                o = numpy_run(m, feeds, overrides={n: v})
            else:
                o = numpy_run(m, dict(feeds, input_0=v))
            fd.append(numpy_loss(kind, o[0], target))
        numeric = (fd[0] - fd[1]) / (2 * eps)
        analytic = float(np.sum(grad.astype(np.float64) * direction))
        scale = max(abs(numeric), np.linalg.norm(grad) * np.linalg.norm(direction) / np.sqrt(direction.size), 1e-6)
        rel = abs(numeric - analytic) / scale
        worst = max(worst, rel)
        assert rel < 1e-3, "%s: gradient of %s off: finite difference %g vs stored %g" % (
            name, n, numeric, analytic)
    return ref is not None, worst


# --------------------------------------------------------------------------- README

def write_readme(infos, keep=None):
    """README.md: the common text, then one section per fixture in BUILDERS order. Fixtures not in
    `infos` keep their section from `keep` (name -> text) when it has one."""
    keep = keep or {}
    lines = [
        "# ONNX test fixtures",
        "",
        "Generated by `onnx-bridge/src/test/python/make_fixtures.py` with torch %s, onnx %s, numpy %s "
        "(opset %d, `do_constant_folding=False`, eval mode, seed %d). Rerun from the repository root with "
        "`/usr/bin/python3 onnx-bridge/src/test/python/make_fixtures.py`; the Java build never runs it."
        % (torch.__version__, onnx.__version__, np.__version__, OPSET, SEED),
        "",
        "Every folder holds `model.onnx`, `input_0.pb`, `output_0.pb` (PyTorch eval-mode output), "
        "`target.pb`, `loss.txt`, `loss.pb` (float32 scalar, shape []), `grad_<initializer>.pb` for every "
        "float initializer ('/' and ':' replaced by '_' in the file name only; the TensorProto name is the "
        "exact initializer name) and `grad_input_0.pb`. All `.pb` files are serialized `onnx.TensorProto`s. "
        "The batch dimension (dim 0) of input and output is dynamic.",
        "",
        "Losses: `mse` = mean of squared error over all elements of output 0; `bce` = mean binary "
        "cross-entropy of output 0 (a probability) against float targets in [0,1]; `cross_entropy` = mean over "
        "the batch of -log_softmax(logits, dim=1)[target], int64 targets of shape [N].",
        "",
        "Gradients are d loss / d tensor in eval mode (BatchNorm uses its running stats, which are "
        "initializers and so have gradients too). With constant folding off, every initializer is a PyTorch "
        "parameter or buffer unchanged, under its PyTorch name (the script asserts this value by value). "
        "LSTM/GRU gate reordering (PyTorch [i,f,g,o] -> ONNX [i,o,f,c]; [r,z,n] -> [z,r,h]), "
        "bias concatenation and unsqueezing happen inside the graph (Slice/Concat/Unsqueeze nodes), not in the "
        "initializers. Biases and norm affine parameters get random values so that torch.onnx does not "
        "deduplicate equal initializers into one.",
        "",
        "Export notes (torch %s): the eval-mode model is exported with `training=TrainingMode.PRESERVE`, "
        "because the default `TrainingMode.EVAL` runs a peephole pass that, even without constant folding, "
        "fuses Conv + BatchNormalization into one Conv with new `onnx::Conv_NN` initializers. `AvgPool2d` "
        "exports as an all-zero `Pad` followed by `AveragePool`. `nn.Unflatten` has no export in this torch "
        "(aten::unflatten), so the generator uses `reshape(-1, 16, 3, 3)`. The LSTM/GRU initial states are "
        "`ConstantOfShape` zeros computed from the input's batch size, not initializers; the GRU has "
        "`linear_before_reset=1`. The transformer layer exports on the ordinary (non-fast-path) route: "
        "MatMul/Add projections with in-graph Transpose of the weights, Slice of the packed q/k/v projection, "
        "Reshape/Transpose into heads, Div by sqrt(head_dim), MatMul, Softmax, Gemm output projection, "
        "LayerNormalization; Shape/Gather/Div/Cast/Mul/Unsqueeze/Concat compute the dynamic shapes."
        % torch.__version__,
        "",
        "RBF / random-feature fixtures: `rbf_broadcast` exports as Unsqueeze/Sub/Pow/ReduceSum then "
        "Exp/Neg/Mul; `rbf_cdist` (torch.cdist, p=2) as Sub/Pow/ReduceSum/Pow(1/p) then Pow 2, with "
        "Reciprocal for `1 / (2 * sigma ** 2)`; `rbf_norm` (`Tensor.norm(p=2, dim=-1)`) as ReduceL2, and one "
        "of its inputs sits exactly on a centre, so a distance is 0 (PyTorch's norm gives that term gradient 0); "
        "`rff_cos` as Transpose/MatMul/Add/Cos, with the random W and b as buffers (initializers with gradients).",
        "",
        "The script checks each fixture by running `model.onnx` with a small float64 NumPy interpreter "
        "(and with onnx.reference when the onnx version has it), comparing output and loss, and comparing "
        "every stored gradient with a central finite difference.",
        "",
    ]
    fresh = {info["name"]: info for info in infos}
    for name, _ in BUILDERS:
        if name not in fresh:
            if name in keep:
                lines += keep[name].rstrip("\n").split("\n") + [""]
            continue
        info = fresh[name]
        lines += [
            "## `%s`" % info["name"],
            "",
            "- model: %s" % info["description"],
            "- input_0: float32 %s; output_0: float32 %s" % (info["input_shapes"][0], info["output_shapes"][0]),
            "- loss: `%s`, target %s %s, loss = %.6f" % (info["loss"], info["target_dtype"], info["target_shape"],
                                                        info["loss_value"]),
            "- ops (count): %s" % ", ".join("%s (%d)" % kv for kv in info["ops"].items()),
            "- initializers:",
        ]
        for n, shape, desc, names in info["inits"]:
            lines.append("  - `%s` %s" % (n, shape) +
                         ("" if desc == "identity" and names == [n] else " = %s of %s" % (desc, names)))
        lines.append("")
    with open(os.path.join(FIXTURES, "README.md"), "w") as f:
        f.write("\n".join(lines))


def readme_sections():
    """The current README.md's per-fixture sections as {name: text}, kept for fixtures not remade."""
    path = os.path.join(FIXTURES, "README.md")
    old = {}
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        for chunk in text.split("\n## `")[1:]:
            name = chunk.split("`", 1)[0]
            old[name] = "## `" + chunk.rstrip("\n") + "\n"
    return old


def main(argv):
    torch.set_num_threads(1)  # deterministic reductions
    os.makedirs(FIXTURES, exist_ok=True)
    known = [n for n, _ in BUILDERS]
    unknown = [n for n in argv if n not in known]
    if unknown:
        print("unknown fixture(s) %s; known: %s" % (unknown, known))
        return 2
    selected = [(n, b) for n, b in BUILDERS if not argv or n in argv]
    infos = []
    for name, builder in selected:
        info = make_fixture(name, builder)
        infos.append(info)
        used_ref, worst = check_fixture(name)
        print("== %s: loss %s = %.6f; check ok (%s; worst finite-difference rel. error %.1e)" % (
            name, info["loss"], info["loss_value"],
            "onnx.reference + NumPy" if used_ref else "NumPy interpreter", worst))
        print("   ops:", ", ".join("%s x%d" % kv for kv in info["ops"].items()))
        for n, shape, desc, names in info["inits"]:
            extra = "" if desc == "identity" and names == [n] else "  <- %s of %s" % (desc, names)
            print("   init %s %s%s" % (n, shape, extra))
    write_readme(infos, keep=readme_sections() if argv else {})
    print("wrote", FIXTURES)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
