"""Training throughput of the default model on this machine: images/s for full training steps.

Each step = uint8 batch -> float, image augmentation, forward, loss, backward, AdamW step, exactly as
training/train.py does. Random pixels stand in for drawings (speed does not depend on content).
Usage: .venv/bin/python bench/bench_training.py [--threads 2] [--batch 256] [--steps 20] [--classes 345]
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--classes", type=int, default=345)
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch starts OpenMP

    import torch
    import torch.nn.functional as F

    from training.augment import batch_augment
    from training.model import DoodleNet, ModelConfig, count_params

    torch.set_num_threads(args.threads)
    model = DoodleNet(ModelConfig(num_classes=args.classes)).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    x8 = torch.randint(0, 256, (args.batch * 4, 1, 28, 28), dtype=torch.uint8)
    y = torch.randint(0, args.classes, (args.batch * 4,))

    def step(i: int) -> None:
        sl = slice((i % 4) * args.batch, (i % 4 + 1) * args.batch)
        xb = batch_augment(x8[sl].float().div_(255.0), gen).contiguous(memory_format=torch.channels_last)
        loss = F.cross_entropy(model(xb), y[sl], label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    model.train()
    for i in range(3):  # warm-up
        step(i)
    t0 = time.perf_counter()
    for i in range(args.steps):
        step(i)
    dt = time.perf_counter() - t0
    ips = args.steps * args.batch / dt
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"training throughput: {ips:.0f} images/s (batch {args.batch}, {args.threads} threads, "
          f"{count_params(model):,} params, {args.classes} classes, load avg {load:.1f})")
    print(f"one 200k-sample epoch: {200_000 / ips / 60:.1f} min")


if __name__ == "__main__":
    main()
