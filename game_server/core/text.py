"""Plain-text rules: names, chat, words; guess normalization and "one edit away" matching.

The one implementation of guess normalization (case, accents, spaces and hyphens ignored).
"""

from __future__ import annotations

import re
import unicodedata

from game_server.core.errors import GameError

NAME_MAX = 24
CHAT_MAX = 200
WORD_MIN = 2
WORD_MAX = 32
_WORD_CHARS = re.compile(r"^[\w' -]+$", re.UNICODE)


def has_control(text: str) -> bool:
    """True if any character is a control/format/unassigned/surrogate code point (Unicode category C*)."""
    return any(unicodedata.category(c).startswith("C") for c in text)


def clean_text(value: object, max_len: int, what: str) -> str:
    """Validate a name or chat line: a string, no control characters, 1..max_len after trimming."""
    if not isinstance(value, str):
        raise GameError("bad_request", f"{what} must be a string")
    if len(value) > max_len * 4:
        raise GameError("bad_request", f"{what} is too long")
    if has_control(value):
        raise GameError("invalid_text", f"{what} contains control characters")
    text = " ".join(value.split())
    if not text:
        raise GameError("invalid_text", f"{what} is empty")
    if len(text) > max_len:
        raise GameError("bad_request", f"{what} is longer than {max_len} characters")
    return text


def clean_name(value: object) -> str:
    return clean_text(value, NAME_MAX, "name")


def clean_chat(value: object) -> str:
    return clean_text(value, CHAT_MAX, "text")


def clean_word(value: object) -> str:
    """A custom word: 2..32 letters/digits/spaces/-/' ; stored lower-case with single spaces."""
    text = clean_text(value, WORD_MAX, "word").lower()
    if len(text) < WORD_MIN or not _WORD_CHARS.match(text) or "_" in text or not match_key(text):
        raise GameError("bad_request", f"word {text!r} must be {WORD_MIN}-{WORD_MAX} letters, digits, spaces")
    return text


def normalize(text: str) -> str:
    """Lower-case, accents stripped, '-' and '_' as spaces, other punctuation dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out = []
    for c in decomposed:
        if unicodedata.combining(c):
            continue
        if c in "-_":
            out.append(" ")
        elif c.isalnum() or c.isspace():
            out.append(c)
    return " ".join("".join(out).split())


def match_key(text: str) -> str:
    """What a guess is compared by: normalized, spaces removed ("Ice-Cream" == "icecream")."""
    return normalize(text).replace(" ", "")


def is_correct(guess: str, word: str) -> bool:
    return bool(match_key(guess)) and match_key(guess) == match_key(word)


def one_edit_away(a: str, b: str) -> bool:
    """Exactly one insertion, deletion, substitution or adjacent swap apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff if len(diff) == 2 else (0, 0)
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def is_close(guess: str, word: str) -> bool:
    """A near miss worth a private "close" notice (only for words of 3+ letters)."""
    g, w = match_key(guess), match_key(word)
    return len(w) >= 3 and one_edit_away(g, w)


def mentions(text: str, word: str) -> bool:
    """True if `text` contains `word` or something one edit from it (the drawer must not chat the word)."""
    w = match_key(word)
    if not w:
        return False
    t = match_key(text)
    if w in t:
        return True
    # Slide windows of len(w)-1..len(w)+1 over the text to catch near spellings.
    for size in (len(w) - 1, len(w), len(w) + 1):
        if size < 3:
            continue
        for start in range(0, max(0, len(t) - size) + 1):
            if one_edit_away(t[start : start + size], w):
                return True
    return False
