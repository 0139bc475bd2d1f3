#!/usr/bin/python3
"""PyTorch twin of Dendrite's `lenet5` reference model on full Fashion-MNIST.

It measures the "PyTorch LeNet-5 here, same recipe" figure quoted in the README and in
reference-models/src/main/java/dev/dendrite/reference/models/LeNet5.java, following the
recipe of that model's spec and of the Dendrite loader and trainer it runs on:

  data     the four IDX files of Fashion-MNIST (60000 train / 10000 test), read with
           gzip + numpy; features float32 pixel/255, then (x - 0.2860) / 0.3530, the fixed
           MEAN and STD of reference/data/FashionMnist.java; no augmentation, no
           validation hold-out
  model    conv 5x5 1->6 padding 2 -> ReLU -> max-pool 2 -> conv 5x5 6->16 -> ReLU ->
           max-pool 2 -> flatten (400) -> dense 120 -> ReLU -> dense 84 -> ReLU -> dense 10
  init     as Dendrite's layers, which is not PyTorch's default for the dense layers:
           conv weights and biases U(+-1/sqrt(fan_in)) (PyTorch's nn.Conv2d default, as
           cnn/layers/TorchInit.java); dense weights kaiming_uniform U(+-sqrt(6/fan_in))
           (the "dense" provider's default weightInit) and dense biases zero (Dense.java)
  loss     cross-entropy, mean over the batch
  optim    torch.optim.SGD lr 0.01, momentum 0.9 (dampening 0, no Nesterov, no weight
           decay), the algorithm of basic/optim/Sgd.java
  batches  64, the training set reshuffled every epoch, the last partial batch kept
           (60000 = 937 x 64 + 32), as core-api's DataLoader in Runs.java
  epochs   10; the test set is evaluated after every epoch

The random streams differ (PyTorch's generator, not Dendrite's Rng), so the same seed
does not give the same weights or batch order as `./dendrite reproduce lenet5 --seed S`;
compare across several seeds.

Run (from the repository root; needs Debian's python3-torch and python3-numpy, no
torchvision):
    OMP_NUM_THREADS=1 /usr/bin/python3 reference-models/src/test/python/pytorch_lenet5.py \\
        [--data /usr/share/datasets/fashion-mnist] [--epochs 10] [--seed 1] [--threads 1]

It prints each epoch's test accuracy and ends with
    test accuracy after N epochs: 0.XXXX

Optional: the build never runs this script and nothing depends on its output.
"""

import argparse
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

MEAN = 0.2860  # FashionMnist.MEAN: mean of pixel/255 over the full training set
STD = 0.3530   # FashionMnist.STD
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def read_idx(directory, stem):
    """An IDX file (plain or .gz) as a numpy array of its declared shape."""
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            break
    else:
        sys.exit(f"{directory}: neither {stem}.gz nor {stem} exists")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if values.size != math.prod(shape):
        sys.exit(f"{path}: header says {shape}, the file holds {values.size} values")
    return values.reshape(shape)


def load_split(directory, split):
    images, labels = (read_idx(directory, stem) for stem in FILES[split])
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != (images.shape[0],):
        sys.exit(f"{split}: unexpected shapes {images.shape} / {labels.shape}")
    x = images.astype(np.float32) / np.float32(255)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(labels.astype(np.int64))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        # Conv2d keeps PyTorch's default, U(+-1/sqrt(fan_in)) for weight and bias, as Dendrite's conv2d.
        # Dendrite's dense: kaiming_uniform weights, U(+-sqrt(6/fan_in)), and zero biases.
        for fc in (self.fc1, self.fc2, self.fc3):
            nn.init.kaiming_uniform_(fc.weight, a=0, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(fc.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct, loss = 0, 0.0
    for i in range(0, len(x), batch):
        out = model(x[i:i + batch])
        loss += F.cross_entropy(out, y[i:i + batch], reduction="sum").item()
        correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x), loss / len(x)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist",
                   help="directory with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load_split(args.data, "train")
    x_test, y_test = load_split(args.data, "test")
    print(f"Fashion-MNIST {len(x_train)} train / {len(x_test)} test from {args.data}; torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s), seed {args.seed}", flush=True)

    model = LeNet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    batch = 64
    shuffler = torch.Generator().manual_seed(args.seed)
    started = time.time()
    acc = float("nan")
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        model.train()
        order = torch.randperm(len(x_train), generator=shuffler)
        loss_sum = 0.0
        for i in range(0, len(order), batch):  # last partial batch kept
            idx = order[i:i + batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        seconds = time.time() - t0
        acc, test_loss = evaluate(model, x_test, y_test)
        print(f"epoch {epoch:2d}: train loss {loss_sum / len(x_train):.4f}, test loss {test_loss:.4f}, "
              f"test accuracy {acc:.4f} ({seconds:.1f} s)", flush=True)
    print(f"total {time.time() - started:.1f} s")
    print(f"test accuracy after {args.epochs} epochs: {acc:.4f}")


if __name__ == "__main__":
    main()
