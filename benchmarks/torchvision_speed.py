#!/usr/bin/env python3
"""Exports torchvision classifiers (random weights, 10 classes) to ONNX with a dynamic batch axis and prints
PyTorch's own speed on the shapes ImportedModelSpeed measures Dendrite at: an SGD-momentum training step at batch
16 and no-grad forwards at batch 16 and 1, 3x64x64 inputs, median of repeated runs.

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/torchvision_speed.py OUT_DIR 1 mobilenet_v2,shufflenet_v2_x0_5

Needs Debian's python3-torch and python3-torchvision (and libopenblas0-pthread for a fair PyTorch)."""
import os
import sys
import time

import torch
import torchvision


def median_ms(f, reps):
    for _ in range(3):
        f()
    ts = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        ts.append(time.perf_counter() - s)
    ts.sort()
    return ts[len(ts) // 2] * 1e3


def main():
    out, threads, names = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    torch.set_num_threads(threads)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for name in names:
        m = getattr(torchvision.models, name)(weights=None, num_classes=10)
        x = torch.randn(16, 3, 64, 64)
        y = torch.randint(0, 10, (16,))
        m.eval()
        torch.onnx.export(m, x, os.path.join(out, name + ".onnx"), opset_version=13, input_names=["input"],
                          output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        m.train()
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
        loss = torch.nn.CrossEntropyLoss()

        def step():
            opt.zero_grad()
            l = loss(m(x), y)
            l.backward()
            opt.step()
            l.item()

        train = median_ms(step, 10)
        m.eval()
        with torch.no_grad():
            infer16 = median_ms(lambda: m(x), 10)
            infer1 = median_ms(lambda: m(x[:1]), 30)
        print(f"{name}: pytorch train b16 {train:.1f} ms/step, infer b16 {infer16:.1f} ms, infer b1 {infer1:.2f} ms")


if __name__ == "__main__":
    main()
