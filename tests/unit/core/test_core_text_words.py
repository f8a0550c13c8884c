"""Guess normalization, near misses, text validation, word pool, masks and hints."""

from __future__ import annotations

import random

import pytest

from game_server.core import GameError
from game_server.core.ids import CROCKFORD, new_room_code, normalize_code
from game_server.core.text import (
    clean_chat,
    clean_name,
    clean_word,
    is_close,
    is_correct,
    mentions,
    normalize,
)
from game_server.core.words import (
    LINEAGE_WORDS,
    mask,
    max_hints,
    pick_choices,
    pick_hint,
    pool_from_model_card,
    word_lengths,
)


@pytest.mark.parametrize(
    ("guess", "word"),
    [
        ("CAT", "cat"),
        ("  cat ", "cat"),
        ("Ice-Cream", "ice cream"),
        ("icecream", "ice cream"),
        ("wine   glass", "wine glass"),
        ("Crème", "creme"),
        ("BIRTHDAY cake", "birthday cake"),
    ],
)
def test_correct_guesses_ignore_case_spaces_accents(guess: str, word: str) -> None:
    assert is_correct(guess, word)


@pytest.mark.parametrize(("guess", "word"), [("cats", "cat"), ("", "cat"), ("dog", "cat"), ("!!!", "cat")])
def test_wrong_guesses(guess: str, word: str) -> None:
    assert not is_correct(guess, word)


def test_normalize() -> None:
    assert normalize("  Wine-GLASS!! ") == "wine glass"
    assert normalize("Über_Straße") == "uber strasse"


@pytest.mark.parametrize(
    ("guess", "close"),
    [
        ("elephnt", True),
        ("elephantt", True),
        ("elephamt", True),
        ("eelphant", True),
        ("Elephant", False),
        ("elepant s", False),
        ("elphnt", False),
        ("giraffe", False),
    ],
)
def test_close_is_exactly_one_edit(guess: str, close: bool) -> None:
    assert is_close(guess, "elephant") is close


def test_short_words_have_no_close_guesses() -> None:
    assert not is_close("ax", "ox")


def test_mentions_catches_the_word_inside_a_sentence() -> None:
    assert mentions("it's a big BANANA!", "banana")
    assert mentions("bananna time", "banana")  # one edit away inside text
    assert mentions("ice-cream", "ice cream")
    assert not mentions("hello there", "banana")


@pytest.mark.parametrize("bad", ["a\x00b", "tab\there", "new\nline", "bell\x07", "\u200b", "rtl\u202e"])
def test_control_and_format_characters_are_rejected(bad: str) -> None:
    with pytest.raises(GameError) as err:
        clean_chat(bad)
    assert err.value.code == "invalid_text"


def test_text_limits_and_types() -> None:
    assert clean_name("  Ann   Lee ") == "Ann Lee"
    for bad, code in [
        ("", "invalid_text"),
        ("   ", "invalid_text"),
        ("x" * 25, "bad_request"),
        (5, "bad_request"),
        (None, "bad_request"),
        (["a"], "bad_request"),
    ]:
        with pytest.raises(GameError) as err:
            clean_name(bad)
        assert err.value.code == code
    assert clean_chat("x" * 200) == "x" * 200
    with pytest.raises(GameError):
        clean_chat("x" * 201)


def test_custom_words_are_cleaned_and_checked() -> None:
    assert clean_word("  Hot   Dog ") == "hot dog"
    assert clean_word("Crème brûlée") == "crème brûlée"
    for bad in ["a", "x" * 33, "no_underscores", "semi;colon", "--"]:
        with pytest.raises(GameError):
            clean_word(bad)


def test_mask_hints_and_lengths() -> None:
    assert mask("wine glass") == "____ _____"
    assert mask("wine glass", (1,)) == "_i__ _____"
    assert word_lengths("birthday cake") == [8, 4]
    assert max_hints("cat") == 1 and max_hints("ice cream") == 4
    rng = random.Random(3)
    revealed: tuple[int, ...] = ()
    while (i := pick_hint(rng, "elephant", revealed)) is not None:
        revealed = (*revealed, i)
    assert len(revealed) == 4 and len(set(revealed)) == 4  # at most half the letters, never repeated


def test_choices_are_distinct_and_avoid_used_words() -> None:
    rng = random.Random(1)
    used = LINEAGE_WORDS[:45]
    for _ in range(20):
        choices = pick_choices(rng, LINEAGE_WORDS, (), False, 3, used)
        assert len(set(choices)) == 3 and not set(choices) & set(used)
    only_custom = pick_choices(rng, LINEAGE_WORDS, ("foo", "bar", "baz"), True, 3)
    assert set(only_custom) == {"foo", "bar", "baz"}


def test_word_pool_prefers_model_game_words() -> None:
    assert pool_from_model_card(None) == LINEAGE_WORDS
    assert pool_from_model_card({"labels": ["cat", "hot_dog"]}) == ("cat", "hot dog")
    assert pool_from_model_card({"labels": ["a1", "b2"], "game_words": ["Cat", "cat"]}) == ("cat",)
    assert pool_from_model_card({"labels": "nope"}) == LINEAGE_WORDS
    assert len(LINEAGE_WORDS) == 50


def test_room_codes_have_50_bits_and_normalize() -> None:
    rng = random.Random(5)
    codes = {new_room_code(rng) for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 10 and set(c) <= set(CROCKFORD) for c in codes)
    assert normalize_code("ab0-1cd 2ef3") == "AB01CD2EF3"
    assert normalize_code("abo1cdiefl") == "AB01CD1EF1"
    assert normalize_code("short") is None and normalize_code("ABCDEFGHJU") is None
