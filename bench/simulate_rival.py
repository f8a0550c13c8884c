"""Humans vs the AI: how often each side wins a classic game, per AI level (docs/rival.md).

Two parts:

1. **The AI, measured.** Held-out raw Quick, Draw! drawings of the game words (val + test splits, the
   drawings training never saw; ``training.live.held_out_raw``) are replayed stroke by stroke with their
   recorded timings. After each stroke the prefix is rasterized with the game's rasterizer and classified
   with the shipped model (onnxruntime, models/doodle.onnx), as the drawer's browser does. For a level
   (threshold θ, delay d) the AI names a drawing at the first moment T >= d at which the prefix drawn by T
   has the word as top-1 with p >= θ, plus LATENCY_S for classifying, sending and verifying. Quick, Draw!'s
   players drew against a 20 s clock; a Pictionary drawer draws for people with 80 s, so the recorded
   times are stretched by ``--pace`` (default 2; the table reports 1 and 2).
2. **The humans, modelled** (no recordings exist): each guesser independently names the word after a
   log-normal time (median ``--human-median`` s, σ ``--human-sigma``) or never (probability
   ``--human-miss``); a guess after the draw time does not count. Defaults: median 25 s, σ 0.6, miss 0.2.

A game is `rounds` rounds in which each of the N humans draws once (N-1 guessers). Each turn goes to the side
that names the word first (core/scoring.py); the game to the side with more turns, else a draw. The rules
are the core's: ``rival_winner`` and the level table ``AI_LEVELS``.

    .venv/bin/python bench/simulate_rival.py [--games 4000] [--players 3 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from doodle_raster import rasterize_google_many  # noqa: E402
from game_server.core.ai import AI_LEVELS, AiLevel  # noqa: E402
from game_server.core.scoring import AI_SIDE, DRAW, HUMANS, rival_winner, won_turn  # noqa: E402
from training.live import held_out_raw  # noqa: E402

LATENCY_S = 0.5  # classify in the browser, send, verify on the server
DRAW_TIME = 80.0  # the default draw time


@dataclass(frozen=True)
class Replay:
    """One drawing: when each stroke ended (s), the word's probability and whether it was top-1 then."""

    ends: tuple[float, ...]
    probs: tuple[float, ...]
    top: tuple[bool, ...]


def measure(data_dir: Path, model: Path, limit: int) -> list[Replay]:
    import onnxruntime as ort

    card = json.loads(model.with_suffix(".json").read_text())
    labels: list[str] = card["labels"]
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    out: list[Replay] = []
    for word in card["game_words"]:
        label = labels.index(word)
        drawings = [d for split in ("val", "test") for d in held_out_raw(data_dir, word, split)][:limit]
        for d in drawings:
            if not d or len(d[0]) < 3:
                continue  # no timings
            images = np.asarray(rasterize_google_many([d[:k] for k in range(1, len(d) + 1)]), np.float32)
            probs = session.run(None, {name: images.reshape(-1, 1, 28, 28)})[0]
            start = d[0][2][0]
            out.append(Replay(tuple((s[2][-1] - start) / 1000.0 for s in d),
                              tuple(float(p[label]) for p in probs),
                              tuple(int(np.argmax(p)) == label for p in probs)))
    return out


def ai_time(r: Replay, level: AiLevel, pace: float) -> float:
    """When the AI names the drawing at `level` (inf: never within the drawing)."""
    ends = [e * pace for e in r.ends]
    for k, end in enumerate(ends):
        if not (r.top[k] and r.probs[k] >= level.threshold):
            continue
        at = max(end, level.delay)
        if k + 1 == len(ends) or at < ends[k + 1]:  # this prefix is still on the canvas at `at`
            return at + LATENCY_S
    return float("inf")


def human_time(rng: random.Random, median: float, sigma: float, miss: float) -> float:
    if rng.random() < miss:
        return float("inf")
    return median * float(np.exp(rng.gauss(0.0, sigma)))


def play(rng: random.Random, replays: list[Replay], level: AiLevel, players: int, rounds: int,
         pace: float, median: float, sigma: float, miss: float) -> str:
    rival: dict[str, int] = {}
    for _ in range(rounds * players):
        ai = ai_time(rng.choice(replays), level, pace)
        humans = min(human_time(rng, median, sigma, miss) for _ in range(players - 1))
        first = min(ai, humans)
        if first > DRAW_TIME:
            continue  # nobody named it: no one wins the turn
        rival = won_turn(rival, HUMANS if humans <= ai else AI_SIDE)
    return rival_winner(rival)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path("/work/shared/quickdraw"))
    ap.add_argument("--model", type=Path, default=REPO / "models" / "doodle.onnx")
    ap.add_argument("--per-word", type=int, default=12, help="held-out drawings per game word at most")
    ap.add_argument("--games", type=int, default=4000)
    ap.add_argument("--players", type=int, nargs="+", default=[3, 5])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pace", type=float, nargs="+", default=[2.0, 1.0])
    ap.add_argument("--human-median", type=float, nargs="+", default=[25.0, 20.0, 35.0])
    ap.add_argument("--human-sigma", type=float, default=0.6)
    ap.add_argument("--human-miss", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    replays = measure(args.data_dir, args.model, args.per_word)
    print(f"measured {len(replays)} held-out drawings in {time.perf_counter() - t0:.0f} s")
    for name, level in AI_LEVELS.items():
        for pace in args.pace:
            times = np.array([ai_time(r, level, pace) for r in replays])
            named = np.isfinite(times) & (times <= DRAW_TIME)
            med = float(np.median(times[named])) if named.any() else float("nan")
            print(f"AI {name:6s} pace {pace:g}: names {named.mean():.0%} of drawings, median {med:.1f} s")
    print(f"humans: sigma {args.human_sigma:g}, miss {args.human_miss:g}; {args.rounds} rounds, "
          f"{args.games} games per cell\n")
    print("| level | AI pace | human median (s) | humans | humans win | AI wins | draw |")
    print("|---|---|---|---|---|---|---|")
    for name, level in AI_LEVELS.items():
        for pace in args.pace:
            for median in args.human_median:
                for n in args.players:
                    rng = random.Random(f"{args.seed}-{name}-{pace}-{median}-{n}")
                    results = [play(rng, replays, level, n, args.rounds, pace, median,
                                    args.human_sigma, args.human_miss) for _ in range(args.games)]
                    share = {side: results.count(side) / len(results) for side in (HUMANS, AI_SIDE, DRAW)}
                    print(f"| {name} | {pace:g} | {median:g} | {n} | {share[HUMANS]:.0%} | "
                          f"{share[AI_SIDE]:.0%} | {share[DRAW]:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
