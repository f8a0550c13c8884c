"""The classifier: the lineage's 8-conv 3x3 CNN made small, with batch norm.

Lineage: conv 32-32-64-64-128-128-256-256, pooling, dropout, global average pooling, linear (1.18 M
parameters, 4.7 MB). Here the widths are 24-24-48-48-96-96-160-160, the last pair depthwise-separable
and kept at 7x7 (no third pooling), so the 345-way model has ~0.26 M parameters (~1.05 MB fp32) and runs
in a few milliseconds in WASM. Input: [N, 1, 28, 28] float in 0..1, ink = 1; normalization is inside the
graph; output: logits (export appends softmax). Batch norm folds into the convolutions at export.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class ModelConfig:
    num_classes: int = 345
    channels: tuple[int, ...] = (32, 32, 64, 64, 128, 128, 256, 256)
    pool_after: tuple[int, ...] = (1, 3)  # max-pool 2x2 after these conv indices: 28 -> 14 -> 7
    separable_from: int = 6  # conv index from which layers are depthwise-separable
    dropout: float = 0.1  # after each pooling
    head_dropout: float = 0.3
    mean: float = 0.15  # input normalization constants, baked into the graph
    std: float = 0.33

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        d = dict(d)
        for k in ("channels", "pool_after"):
            if k in d:
                d[k] = tuple(d[k])
        return cls(**d)


def conv_bn(cin: int, cout: int, separable: bool) -> nn.Sequential:
    if separable:
        return nn.Sequential(
            nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
            nn.BatchNorm2d(cin),
            nn.ReLU(inplace=True),
            nn.Conv2d(cin, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class DoodleNet(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        layers: list[nn.Module] = []
        cin = 1
        for i, cout in enumerate(cfg.channels):
            layers.append(conv_bn(cin, cout, i >= cfg.separable_from))
            if i in cfg.pool_after:
                layers.append(nn.MaxPool2d(2))
                if cfg.dropout > 0:
                    layers.append(nn.Dropout(cfg.dropout))
            cin = cout
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool (runs on WebGL)
        self.dropout = nn.Dropout(cfg.head_dropout)
        self.head = nn.Linear(cin, cfg.num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - self.cfg.mean) / self.cfg.std
        x = self.pool(self.features(x)).flatten(1)
        return self.head(self.dropout(x))


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
