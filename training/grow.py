"""Start a (possibly wider) DoodleNet from a shipped ONNX model: keep what it learned, add capacity.

The shipped ``models/<name>.onnx`` has batch norm folded into its convolutions, and its training
checkpoint may live on another machine. This reads its convolutions and head back, copies them into the
first channels of each layer of a model of the same layout (same pooling and separable layers, each
layer at least as wide), and makes the copy compute the same function:

- old channels: the folded weight stays the convolution weight; batch norm is calibrated on real images so
  that, in training and in evaluation mode alike, it hands on what the folded layer computed
  (``gamma = sqrt(var + eps)``, ``beta = mean + folded bias``);
- new channels: fresh random incoming weights, and zero outgoing weights (next layer, head), so the
  wider model starts with the narrow model's predictions and grows into its extra width (Net2Net's
  function-preserving widening, with zero instead of copied outgoing weights).

Head rows are matched by class name; a class the ONNX model did not know starts at zero.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.model import DoodleNet


def _onnx_layers(path: Path) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """(conv weight, bias) pairs in graph order, then the head's weight and bias."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    convs = []
    for node in graph.node:
        if node.op_type == "Conv":
            w = init[node.input[1]]
            b = init[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
            convs.append((w, b))
    head = next(n for n in graph.node if n.op_type == "Gemm")
    return convs, init[head.input[1]], init[head.input[2]]


def _labels(path: Path) -> list[str]:
    card = path.with_name(path.name.split(".")[0] + ".json")
    return json.loads(card.read_text())["labels"]


@torch.no_grad()
def init_from_onnx(model: DoodleNet, path: str | Path, categories: list[str], images: np.ndarray) -> None:
    """Load ``path`` (an exported DoodleNet) into ``model``; ``images``: uint8 (N, 28, 28) to calibrate on."""
    path = Path(path)
    convs, head_w, head_b = _onnx_layers(path)
    mods = [m for m in model.features.modules() if isinstance(m, (nn.Conv2d, nn.BatchNorm2d))]
    pairs = list(zip(mods[0::2], mods[1::2], strict=True))
    if len(pairs) != len(convs):
        raise ValueError(f"{path}: {len(convs)} convolutions, the model has {len(pairs)}")
    biases = []
    for (conv, bn), (w, b) in zip(pairs, convs, strict=True):
        o, i = w.shape[0], w.shape[1]
        if conv.weight.shape[0] < o or conv.weight.shape[1] < i or conv.weight.shape[2:] != w.shape[2:]:
            raise ValueError(f"{path}: layer {tuple(w.shape)} does not fit {tuple(conv.weight.shape)}")
        if conv.groups > 1:  # depthwise: one filter per channel
            conv.weight[:o] = torch.from_numpy(w.copy())
        else:
            conv.weight[:o, :i] = torch.from_numpy(w.copy())
            conv.weight[:, i:] = 0.0  # new input channels: no influence yet
        bn.weight.fill_(1.0)
        bn.bias.zero_()
        bn.running_mean.zero_()
        bn.running_var.fill_(1.0 - bn.eps)  # eval-mode BN is the identity for old channels
        bn.bias[:o] = torch.from_numpy(b.copy())
        biases.append(o)
    rows = {c: k for k, c in enumerate(_labels(path))}
    model.head.weight.zero_()
    model.head.bias.fill_(float(head_b.min()))
    hin = head_w.shape[1]
    for j, c in enumerate(categories):
        if c in rows:
            model.head.weight[j, :hin] = torch.from_numpy(head_w[rows[c]].copy())
            model.head.bias[j] = float(head_b[rows[c]])

    # Calibrate: per-channel mean/var of each convolution's output on real images, measured in the
    # function-preserving eval mode, so training-mode BN (batch statistics) also starts as the identity.
    stats: dict[int, list[torch.Tensor]] = {k: [] for k in range(len(pairs))}
    hooks = [conv.register_forward_hook(lambda _m, _i, out, k=k: stats[k].append(out.transpose(0, 1)
                                                                                   .flatten(1)))
             for k, (conv, _) in enumerate(pairs)]
    model.eval()
    x = torch.from_numpy(images[:2048]).float().div_(255.0).unsqueeze(1)
    for s in range(0, len(x), 256):
        model(x[s : s + 256])
    for h in hooks:
        h.remove()
    for k, ((_, bn), o) in enumerate(zip(pairs, biases, strict=True)):
        z = torch.cat(stats[k], 1)
        mean, var = z.mean(1), z.var(1)
        std = torch.sqrt(var + bn.eps)
        bn.running_mean.copy_(mean)
        bn.running_var.copy_(var)
        bn.weight[:o] = std[:o]
        bn.bias[:o] += mean[:o]
    print(f"initialized from {path} ({sum(c in rows for c in categories)}/{len(categories)} head rows)")
