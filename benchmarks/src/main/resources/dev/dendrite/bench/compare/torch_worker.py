"""PyTorch side of `dendrite bench compare` (started by the harness; not meant to be run by hand).

Reads one JSON request per line on stdin, {"workload": NAME, "iters": N}, runs N iterations of that
workload and answers one JSON line on stdout, {"ms": mean milliseconds per iteration} or {"error": ...}.
{"export": TORCHVISION_NAME, "path": FILE} builds that torchvision model (random weights, 10 classes) and exports
it to ONNX (opset 13, dynamic batch axis) for Dendrite to import; answers {"ok": true} or {"error": ...}.
The models, shapes, losses and optimizers mirror the Java side (dev.dendrite.bench.compare.Workloads):
float32, random inputs from a fixed seed, SGD lr 0.01 momentum 0.9, cross-entropy.
Threads: torch.set_num_threads(argv[1]); the harness also sets OMP_NUM_THREADS and OMP_WAIT_POLICY.
"""
import json
import math
import sys
import time

try:
    import torch
    from torch import nn
except Exception as e:  # reported by the harness as "PyTorch not available"
    print(json.dumps({"error": "cannot import torch: %s" % e}), flush=True)
    sys.exit(0)

threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(42)


def lenet5():
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


class Rbf(nn.Module):
    """Gaussian units y_j = exp(-gamma_j * ||x - c_j||^2) as Dendrite's `rbf` layer holds them: centres [400, 784]
    from N(0, 1), gamma kept as a learnable log_gamma starting at log(1/784).

    ||x - c||^2 is written in the expanded GEMM form, ||x||^2 - 2 x c^T + ||c||^2 clamped at 0, rather than
    torch.cdist(x, c) ** 2: it is the same arithmetic as Dendrite's layer (so the row compares the engines, not two
    algorithms), cdist already switches to this matmul expansion for inputs this size
    (compute_mode='use_mm_for_euclid_dist_if_necessary') and would then take a square root that ** 2 undoes
    (whose gradient is infinite at zero distance). The two timed the same here, within the noise."""

    def __init__(self, n_in, centres):
        super().__init__()
        self.centres = nn.Parameter(torch.randn(centres, n_in))
        self.log_gamma = nn.Parameter(torch.full((centres,), math.log(1.0 / n_in)))

    def forward(self, x):
        c = self.centres
        d2 = ((x * x).sum(1, keepdim=True) - 2.0 * (x @ c.t()) + (c * c).sum(1)).clamp_min(0.0)
        return torch.exp(-d2 * self.log_gamma.exp())


def rbf_net():
    return nn.Sequential(Rbf(784, 400), nn.Linear(400, 10))


def dcgan_step(batch, width=32, noise=100):
    """The `dcgan` reproduction's networks (dev.dendrite.reference.gan.Dcgan) and one iteration of PyTorch's DCGAN
    example: a discriminator step on a real and a generated batch, then a generator step that reuses the generated
    batch; non-saturating BCE-with-logits loss, Adam lr 2e-4 betas (0.5, 0.999), N(0, 0.02) init."""
    g = nn.Sequential(
        nn.Linear(noise, 2 * width * 49, bias=False), nn.Unflatten(1, (2 * width, 7, 7)),
        nn.BatchNorm2d(2 * width), nn.ReLU(),
        nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
        nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * width, 1, 7), nn.Flatten())
    for m in list(g.modules()) + list(d.modules()):
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    g.train()
    d.train()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(batch, 1, 28, 28) * 2 - 1
    ones = torch.ones(batch, 1)
    zeros = torch.zeros(batch, 1)

    def step():
        fake = g(torch.randn(batch, noise))
        opt_d.zero_grad()
        loss_d = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(d(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d.item(), loss_g.item()
    return step


def lstm_lm_step(batch, seq=50, vocab=64, emb=128, hidden=256):
    """SequenceSteps.lstm: tokens [batch, 50] over 64 symbols -> embedding 128 -> LSTM 256 (batch first) -> linear 64
    at every step; cross-entropy over all next-token targets; SGD lr 0.01 momentum 0.9."""
    class Lm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, emb)
            self.lstm = nn.LSTM(emb, hidden, batch_first=True)
            self.head = nn.Linear(hidden, vocab)

        def forward(self, tokens):
            out, _ = self.lstm(self.embed(tokens))
            return self.head(out)
    model = Lm()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    tokens = torch.randint(0, vocab, (batch, seq))
    targets = torch.randint(0, vocab, (batch * seq,))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(tokens).reshape(-1, vocab), targets)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def transformer_step(batch, tokens=64, d=128, heads=4, ff=512, layers=2, classes=10):
    """SequenceSteps.transformer: 2 post-norm encoder layers (d 128, 4 heads, feed-forward 512, ReLU, no dropout,
    batch first) over [batch, 64, 128], mean over tokens, linear 10, cross-entropy, SGD lr 0.01 momentum 0.9.
    In training mode PyTorch takes its ordinary (not the inference fast-path) kernels."""
    encoder = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, batch_first=True), layers, enable_nested_tensor=False)
    head = nn.Linear(d, classes)
    params = list(encoder.parameters()) + list(head.parameters())
    encoder.train()
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, tokens, d)
    y = torch.randint(0, classes, (batch,))

    def step():
        opt.zero_grad()
        loss = loss_fn(head(encoder(x).mean(1)), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torchvision_model(name):
    """torchvision's `name` with random weights and 10 classes (Debian's python3-torchvision)."""
    try:
        import torchvision
    except Exception as e:
        raise RuntimeError("torchvision is not installed (apt-get install python3-torchvision): %s" % e)
    torch.manual_seed(42)
    return getattr(torchvision.models, name)(weights=None, num_classes=10)


def export_torchvision(name, path):
    model = torchvision_model(name)
    model.eval()
    torch.onnx.export(model, torch.randn(16, 3, 64, 64), path, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def inputs(batch, image):
    """Random inputs: [batch, 784] uniform for the MNIST-sized rows, [batch, 3, 64, 64] normal for torchvision's."""
    return torch.randn(batch, 3, 64, 64) if image else torch.rand(batch, 784)


def train_step(make, batch, image=False):
    """SGD lr 0.01 momentum 0.9, cross-entropy over 10 classes, the loss read back."""
    model = make()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = inputs(batch, image)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def infer(make, batch, image=False):
    model = make()
    model.eval()
    x = inputs(batch, image)

    def step():
        with torch.no_grad():
            return model(x)
    return step


WORKLOADS = {
    "lenet5_train_b64": lambda: train_step(lenet5, 64),
    "lenet5_train_b256": lambda: train_step(lenet5, 256),
    "mlp_train_b256": lambda: train_step(mlp, 256),
    "lenet5_infer_b1": lambda: infer(lenet5, 1),
    "lenet5_infer_b64": lambda: infer(lenet5, 64),
    "rbf_train_b128": lambda: train_step(rbf_net, 128),
    "dcgan_train_b64": lambda: dcgan_step(64),
    "lstm_train_b32": lambda: lstm_lm_step(32),
    "transformer_train_b32": lambda: transformer_step(32),
    "resnet18_train_b16": lambda: train_step(lambda: torchvision_model("resnet18"), 16, image=True),
    "mobilenet_v2_train_b16": lambda: train_step(lambda: torchvision_model("mobilenet_v2"), 16, image=True),
    "shufflenet_v2_train_b16": lambda: train_step(lambda: torchvision_model("shufflenet_v2_x0_5"), 16, image=True),
    "efficientnet_b0_train_b16": lambda: train_step(lambda: torchvision_model("efficientnet_b0"), 16, image=True),
    "resnet18_infer_b1": lambda: infer(lambda: torchvision_model("resnet18"), 1, image=True),
    "resnet18_infer_b16": lambda: infer(lambda: torchvision_model("resnet18"), 16, image=True),
    "mobilenet_v2_infer_b1": lambda: infer(lambda: torchvision_model("mobilenet_v2"), 1, image=True),
    "mobilenet_v2_infer_b16": lambda: infer(lambda: torchvision_model("mobilenet_v2"), 16, image=True),
}

def blas():
    """Debian's torch calls whatever libblas.so.3 the alternatives system points at: say which."""
    import os
    path = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    return "openblas" if "openblas" in path else "blis" if "blis" in path else \
        "reference (slow; apt-get install libopenblas0-pthread)" if path.endswith("blas/libblas.so.3") else path


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "blas": blas()}), flush=True)
steps = {}
for line in sys.stdin:
    try:
        req = json.loads(line)
        if "export" in req:
            export_torchvision(req["export"], req["path"])
            print(json.dumps({"ok": True}), flush=True)
            continue
        name = req["workload"]
        if name not in WORKLOADS:
            print(json.dumps({"error": "no PyTorch version of " + name}), flush=True)
            continue
        if name not in steps:
            steps[name] = WORKLOADS[name]()
        step = steps[name]
        n = int(req["iters"])
        start = time.perf_counter()
        for _ in range(n):
            step()
        print(json.dumps({"ms": (time.perf_counter() - start) * 1000.0 / n}), flush=True)
    except Exception as e:
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
