"""The Verifier on the shipped model: parity with a direct onnxruntime run, batching, loop responsiveness,
and the claim policy end to end (honest claims accepted; empty, unrelated and shortened drawings rejected)."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import onnxruntime as ort
import pytest
from metric_values import metric_value
from verify_helpers import google_to_ops, honest_payload

from doodle_raster import rasterize_ops
from game_server import claims as c
from game_server.metrics import Metrics
from game_server.verify import Verifier


@pytest.fixture(scope="module")
def browser(model_path):
    """An independent session standing in for the drawers' browsers: probabilities for each drawing."""
    sess = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name

    def run(drawings):
        x = np.stack([rasterize_ops(ops) for ops in drawings])[:, None]
        return np.concatenate([sess.run(None, {name: x[i : i + 128]})[0] for i in range(0, len(x), 128)])

    return run


@pytest.fixture
async def verifier(model_path):
    v = Verifier(model_path, metrics=Metrics())
    yield v
    v.close()


@pytest.fixture(scope="module")
def ops_list(drawings):
    return [(d["word"], google_to_ops(d["drawing"])) for d in drawings]


async def test_results_equal_a_direct_onnxruntime_run(verifier, browser, ops_list):
    ops_list = ops_list[:128]
    results = await asyncio.gather(*(verifier.classify(ops) for _, ops in ops_list))
    expected = browser([ops for _, ops in ops_list])
    assert np.stack(results).shape == (len(ops_list), len(verifier.labels))
    np.testing.assert_allclose(np.stack(results), expected, rtol=0, atol=1e-5)
    assert verifier.stats.runs < len(ops_list) / 8  # batched, not one run per drawing


async def test_sixty_four_concurrent_calls_batch_into_few_runs(verifier, browser, ops_list):
    chosen = ops_list[:64]
    results = await asyncio.gather(*(verifier.classify(ops) for _, ops in chosen))
    assert verifier.stats.requests == 64 and verifier.stats.batched_items == 64
    assert verifier.stats.runs <= 2, verifier.stats.batch_sizes
    # every caller got its own row
    np.testing.assert_allclose(np.stack(results), browser([ops for _, ops in chosen]), atol=1e-5)


async def test_the_event_loop_keeps_ticking_while_64_claims_are_verified(verifier, ops_list):
    chosen = [ops for _, ops in ops_list[:64]]

    async def attempt() -> tuple[float, float, int, float]:
        # What the loop would be blocked for if verification ran on it: rasterize + one batched run.
        t0 = time.perf_counter()
        verifier._run(np.stack([rasterize_ops(ops) for ops in chosen])[:, None])
        inline = time.perf_counter() - t0
        ticks: list[float] = []
        stop = asyncio.Event()

        async def ticker():
            while not stop.is_set():
                ticks.append(time.perf_counter())
                await asyncio.sleep(0.001)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.01)
        start = time.perf_counter()
        await asyncio.gather(*(verifier.classify(ops) for ops in chosen))
        end = time.perf_counter()
        stop.set()
        await task
        during = [t for t in ticks if start <= t <= end]
        return inline, end - start, len(during), float(np.diff([start, *during, end]).max())

    # Inline verification would block the loop for the whole run (>= `inline`, no tick at all), on every
    # attempt. The OS may preempt the loop on a loaded 2-core box now and then, so one attempt in three
    # must show the loop ticking with no pause of half the work.
    results = []
    for _ in range(3):
        inline, took, ticks, gap = await attempt()
        results.append(f"inline {inline * 1e3:.1f} ms, verify {took * 1e3:.1f} ms, ticks {ticks}, "
                       f"max gap {gap * 1e3:.1f} ms")
        if ticks >= 3 and gap < max(inline, took) / 2:
            break
    else:
        pytest.fail("the loop stalled while verifying: " + "; ".join(results))
    print(results[-1])


async def test_honest_claims_from_real_model_outputs_are_accepted(verifier, browser, ops_list):
    """The drawer's browser classifies each stroke-end prefix; whenever its top-1 is the word at >= 0.5 it
    claims, and the server must accept every such claim."""
    prefixes = []
    for word, ops in ops_list:  # the last three stroke ends of each drawing: where recognition happens
        ends = [i for i in range(1, len(ops) + 1) if i == len(ops) or ops[i]["type"] == "stroke"]
        prefixes.extend((word, ops[:i]) for i in ends[-3:])
    claims = []
    for (word, ops), probs in zip(prefixes, browser([ops for _, ops in prefixes]), strict=True):
        sent = honest_payload(probs, verifier.labels, "g1-r1-t1", len(ops))
        claim = c.parse_claim(sent, verifier.label_set)
        if c.claims_word(claim, word):
            claims.append((claim, ops, word))
    print(f"{len(claims)} honest claims from {len(prefixes)} prefixes")
    assert len(claims) >= 10, f"only {len(claims)} honest claims: is this the shipped model?"
    verdicts = await asyncio.gather(*(verifier.verify(cl, ops, word) for cl, ops, word in claims))
    rejected = [(cl, v) for (cl, _, _), v in zip(claims, verdicts, strict=True) if not v.accepted]
    assert not rejected, rejected[:3]
    assert metric_value(verifier.metrics, "claims_total", result="accepted", reason=c.ACCEPTED) == len(claims)


def forged(word, count, prob=0.9):
    return c.Claim(turn="g1-r1-t1", stroke_count=count, guesses=((word, prob),))


async def test_claims_on_empty_drawings_are_rejected(verifier):
    dot = {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 6, "points": [[400, 300]]}
    rub = {"type": "stroke", "id": 2, "tool": "eraser", "color": "#ffffff", "width": 40,
           "points": [[100, 100], [700, 500]]}
    word = verifier.labels[0]
    for ops in ([dot, {"type": "undo"}], [dot, {"type": "clear"}], [rub]):
        verdict = await verifier.verify(forged(word, len(ops)), ops, word)
        assert verdict.reason == c.EMPTY_DRAWING and verdict.forged
    assert metric_value(verifier.metrics, "claims_total", result="rejected", reason=c.EMPTY_DRAWING) == 3


async def test_claims_for_the_word_on_an_unrelated_drawing_are_rejected(verifier, browser, ops_list):
    checked = 0
    for (word, ops), probs in zip(ops_list, browser([ops for _, ops in ops_list]), strict=True):
        if verifier.labels[int(np.argmax(probs))] != word:
            continue
        other = next(label for label in verifier.labels if label != word)
        verdict = await verifier.verify(forged(other, len(ops)), ops, other)
        assert not verdict.accepted and verdict.reason == c.SERVER_DISAGREES
        assert verdict.server_label == word
        checked += 1
    print(f"{checked} unrelated-drawing claims")
    assert checked >= 20


async def test_a_claim_lying_about_its_stroke_count_is_judged_on_that_prefix(verifier, browser, ops_list):
    """A full drawing's confident top-1 replayed as a claim about its first op is judged on the first op."""
    checked = 0
    fulls, firsts = browser([ops for _, ops in ops_list]), browser([ops[:1] for _, ops in ops_list])
    for (word, ops), full, first in zip(ops_list, fulls, firsts, strict=True):
        i = verifier.labels.index(word)
        if full[i] < 0.5 or int(np.argmax(first)) == i:
            continue
        verdict = await verifier.verify(forged(word, 1, float(full[i])), ops[:1], word)
        assert verdict.reason in (c.SERVER_DISAGREES, c.BELOW_THRESHOLD)
        checked += 1
    print(f"{checked} shortened claims")
    assert checked >= 5
