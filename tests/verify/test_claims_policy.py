"""The pure claim policy: payload validation, turn/owner/stroke-count checks, judging, forgery limit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game_server import claims as c
from game_server.protocol import client as wire

LABELS = ["apple", "banana", "cat", "dog"]


def g(*pairs):
    return [{"label": label, "prob": prob} for label, prob in pairs]


def payload(**over):
    base = {"turn": "g1-r1-t3", "stroke_count": 5, "guesses": g(("cat", 0.8), ("dog", 0.1))}
    base.update(over)
    return base


def probs(**by_label):
    return [by_label.get(label, 0.0) for label in LABELS]


# --- parse_claim -------------------------------------------------------------------------------------


def test_parse_valid_claim():
    claim = c.parse_claim(payload(player="p1"), LABELS)
    expected = c.Claim(turn="g1-r1-t3", stroke_count=5, guesses=(("cat", 0.8), ("dog", 0.1)), player="p1")
    assert claim == expected
    assert claim.top == ("cat", 0.8)


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        "claim",
        payload(turn=3),
        payload(turn=""),
        payload(turn="x" * 65),
        payload(turn="g1\n"),
        payload(turn=None),
        payload(stroke_count=None),
        payload(stroke_count=2.5),
        payload(stroke_count=True),
        payload(stroke_count=-1),
        payload(stroke_count=wire.MAX_STROKE_COUNT + 1),
        payload(guesses=[]),
        payload(guesses={"label": "cat", "prob": 1}),
        payload(guesses=[{"label": "cat", "prob": 0.1}] * 2),  # duplicate label
        payload(guesses=[{"label": f"l{i}", "prob": 0.01} for i in range(wire.MAX_GUESSES + 1)]),
        payload(guesses=[{"label": "unicorn", "prob": 0.9}]),
        payload(guesses=[{"label": 7, "prob": 0.9}]),
        payload(guesses=[{"label": "cat", "prob": 1.5}]),
        payload(guesses=[{"label": "cat", "prob": -0.1}]),
        payload(guesses=[{"label": "cat", "prob": math.nan}]),
        payload(guesses=[{"label": "cat", "prob": math.inf}]),
        payload(guesses=[{"label": "cat", "prob": "0.9"}]),
        payload(guesses=[{"label": "cat", "prob": True}]),
        payload(guesses=[{"label": "cat", "prob": 0.7}, {"label": "dog", "prob": 0.7}]),  # sum > 1
        payload(guesses=["cat"]),
        payload(player=""),
        payload(player=5),
        payload(provider="cpu"),  # only exactly "webgl" | "wasm" | "webgpu"
        payload(provider="WebGL"),
        payload(provider=""),
        payload(provider=None),  # present but null: leave it out instead
        payload(provider=["webgl"]),
    ],
)
def test_parse_rejects_malformed(bad):
    with pytest.raises(c.ClaimInvalid) as err:
        c.parse_claim(bad, LABELS)
    assert err.value.code == "bad_claim"


def test_parse_keeps_a_known_provider_and_allows_none():
    assert {"webgl", "wasm", "webgpu"} == c.PROVIDERS
    for provider in sorted(c.PROVIDERS):
        assert c.parse_claim(payload(provider=provider), LABELS).provider == provider
    assert c.parse_claim(payload(), LABELS).provider is None


def test_parse_allows_float_error_in_the_sum():
    claim = c.parse_claim(payload(guesses=g(("cat", 0.6), ("dog", 0.4005))), LABELS)
    assert claim.top == ("cat", 0.6)


def test_top_picks_highest_whatever_the_order():
    claim = c.parse_claim(payload(guesses=g(("dog", 0.2), ("cat", 0.7))), LABELS)
    assert claim.top == ("cat", 0.7)
    assert c.claims_word(claim, "cat")
    assert not c.claims_word(claim, "dog")


def test_claims_word_needs_threshold():
    low = c.parse_claim(payload(guesses=[{"label": "cat", "prob": 0.49}]), LABELS)
    assert not c.claims_word(low, "cat")
    assert c.claims_word(low, "cat", threshold=0.4)


# --- check_context -----------------------------------------------------------------------------------


def ctx(claim, **over):
    args = {"sender": "p1", "turn": "g1-r1-t3", "owner": "p1", "log_length": 9}
    args.update(over)
    return c.check_context(claim, **args)


def test_context_accepts_the_drawer_on_the_current_turn():
    assert ctx(c.parse_claim(payload(), LABELS)) is None
    assert ctx(c.parse_claim(payload(stroke_count=9), LABELS)) is None


@pytest.mark.parametrize(
    ("claim_over", "ctx_over", "reason"),
    [
        ({"turn": "g1-r1-t2"}, {}, c.WRONG_TURN),  # replayed from an earlier turn
        ({}, {"turn": "g2-r1-t3"}, c.WRONG_TURN),  # same turn number, earlier game
        ({}, {"turn": None}, c.WRONG_TURN),  # no turn running
        ({}, {"owner": "p2"}, c.NOT_OWNER),  # the sender is not the drawer
        ({}, {"owner": None}, c.NOT_OWNER),  # race: the sender has no drawing
        ({"player": "p2"}, {}, c.NOT_OWNER),  # a claim about another player's drawing
        ({"stroke_count": 10}, {}, c.UNKNOWN_STROKE_COUNT),  # more ops than the server received
        ({"stroke_count": 0}, {}, c.UNKNOWN_STROKE_COUNT),  # nothing drawn
    ],
)
def test_context_rejections(claim_over, ctx_over, reason):
    verdict = ctx(c.parse_claim(payload(**claim_over), LABELS), **ctx_over)
    assert verdict == c.Verdict(False, reason)
    assert verdict.forged


# --- judge -------------------------------------------------------------------------------------------


def test_judge_accepts_when_server_agrees():
    claim = c.parse_claim(payload(), LABELS)
    verdict = c.judge(claim, probs(cat=0.9, dog=0.1), LABELS, "cat", server_ink=12.0)
    assert verdict == c.Verdict(True, c.ACCEPTED, "cat", 0.9)
    assert not verdict.forged


def test_judge_tolerance_edges():
    claim = c.parse_claim(payload(guesses=[{"label": "cat", "prob": 0.5}]), LABELS)
    edge = c.CLAIM_THRESHOLD - c.CLAIM_TOLERANCE
    assert c.judge(claim, probs(cat=edge, dog=0.2, apple=0.2), LABELS, "cat").accepted
    below = c.judge(claim, probs(cat=edge - 0.01, dog=0.2, apple=0.2), LABELS, "cat")
    assert below.reason == c.BELOW_THRESHOLD and below.forged


def test_judge_rejects_when_server_top1_differs():
    claim = c.parse_claim(payload(), LABELS)
    verdict = c.judge(claim, probs(cat=0.45, dog=0.55), LABELS, "cat")
    assert verdict == c.Verdict(False, c.SERVER_DISAGREES, "dog", 0.55)


def test_judge_rejects_empty_drawing_even_if_model_says_word():
    claim = c.parse_claim(payload(), LABELS)
    assert c.judge(claim, probs(cat=1.0), LABELS, "cat", server_ink=0.0).reason == c.EMPTY_DRAWING


def test_judge_non_claims_and_unknown_words():
    weak = c.parse_claim(payload(guesses=[{"label": "cat", "prob": 0.3}]), LABELS)
    assert c.judge(weak, probs(cat=0.9), LABELS, "cat").reason == c.NOT_A_CLAIM
    other = c.parse_claim(payload(guesses=[{"label": "dog", "prob": 0.9}]), LABELS)
    assert c.judge(other, probs(dog=0.9), LABELS, "cat").reason == c.NOT_A_CLAIM
    verdict = c.judge(c.parse_claim(payload(), LABELS), probs(cat=1.0), LABELS, "unicorn")
    assert verdict.reason == c.WORD_NOT_IN_VOCABULARY
    assert not verdict.forged  # a custom word is nobody's fault


def test_judge_same_word_hook_and_shape_check():
    claim = c.parse_claim(payload(), LABELS)
    verdict = c.judge(claim, probs(cat=0.9), LABELS, "CAT", same_word=lambda a, b: a.lower() == b.lower())
    assert verdict.accepted
    with pytest.raises(ValueError):
        c.judge(claim, [0.5, 0.5], LABELS, "cat")


# --- forgery limiter ---------------------------------------------------------------------------------

FORGED = c.Verdict(False, c.SERVER_DISAGREES)


def test_pure_rejection_record_trips_and_expires():
    policy = c.ForgeryPolicy(max_rejections=3, window=10.0, cooldown=30.0)
    rec = c.SenderRecord()
    rec = c.note_rejection(rec, 100.0, policy)
    rec = c.note_rejection(rec, 105.0, policy)
    assert not c.is_blocked(rec, 105.0)
    rec = c.note_rejection(rec, 109.0, policy)
    assert c.is_blocked(rec, 109.0) and c.is_blocked(rec, 138.9)
    assert not c.is_blocked(rec, 139.0)
    assert c.is_stale(rec, 139.0, policy)


def test_rejections_outside_the_window_do_not_add_up():
    policy = c.ForgeryPolicy(max_rejections=3, window=10.0, cooldown=30.0)
    rec = c.SenderRecord()
    for t in (0.0, 6.0, 12.0, 18.0, 24.0):  # never 3 within 10 s
        rec = c.note_rejection(rec, t, policy)
        assert not c.is_blocked(rec, t)


def test_limiter_blocks_a_forger_only():
    lim = c.ForgeryLimiter(c.ForgeryPolicy(max_rejections=3, window=60.0, cooldown=30.0))
    assert not lim.note("liar", c.Verdict(False, c.NOT_A_CLAIM), 0.0)  # not a forgery
    assert not lim.note("liar", c.Verdict(True, c.ACCEPTED), 0.0)
    assert not lim.note("liar", FORGED, 1.0)
    assert not lim.note("liar", FORGED, 2.0)
    assert lim.note("liar", FORGED, 3.0)
    assert not lim.allow("liar", 3.0) and not lim.allow("liar", 32.9)
    assert lim.allow("honest", 3.0)
    assert lim.allow("liar", 33.0)
    lim.prune(33.0)
    assert "liar" not in lim.records


# --- any JSON a client can send ----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
claimish = st.fixed_dictionaries(
    {},
    optional={
        "turn": json_values | st.just("g1-r1-t3"),
        "stroke_count": json_values,
        "player": json_values,
        "guesses": st.lists(
            st.fixed_dictionaries({}, optional={"label": st.sampled_from(LABELS) | json_values,
                                                "prob": st.floats() | json_values}),
            max_size=12,
        ) | json_values,
    },
)


@settings(max_examples=200, deadline=None)
@given(claimish | json_values)
def test_any_payload_is_a_claim_or_a_clean_rejection(data):
    try:
        claim = c.parse_claim(data, LABELS)
    except c.ClaimInvalid:
        return
    assert claim.top[0] in LABELS and 0.0 <= claim.top[1] <= 1.0
    assert sum(p for _, p in claim.guesses) <= 1.0 + c.PROB_SUM_EPS
    verdict = c.check_context(claim, sender="p1", turn="g1-r1-t3", owner="p1", log_length=3)
    if verdict is None:
        assert isinstance(c.judge(claim, probs(cat=1.0), LABELS, "cat"), c.Verdict)
