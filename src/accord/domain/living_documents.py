"""Living documents: what changed between two revisions, word by word, and how plainly a
text reads (Flesch reading ease, from a documented syllable count)."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

type PieceKind = Literal["same", "ins", "del"]

# Words and the spaces between them: joined again, the tokens are the text exactly.
_TOKENS = re.compile(r"\s+|\S+")
_WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ'’]+")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

TARGET = 60  # "plain English" on Flesch's scale: most adults read it easily
BANDS: tuple[tuple[int, str], ...] = (
    (90, "very easy: read at a glance"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English: most adults read it easily"),
    (50, "fairly difficult"),
    (30, "difficult: shorter sentences and words would help"),
    (0, "very difficult: hard going for most readers"),
)


@dataclass(frozen=True)
class Piece:
    """A run of text the two sides share ("same"), or only the newer ("ins") or the older
    ("del") has."""

    kind: PieceKind
    text: str


def normalized(text: str) -> str:
    """`text` with every line ending as "\\n" (a browser's form sends "\\r\\n"), so that two
    texts differ only where their words do."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _add(pieces: list[Piece], kind: PieceKind, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def diff(old: str, new: str) -> tuple[Piece, ...]:
    """The word-level difference from `old` to `new`: the old text is the "same" and "del"
    pieces joined in order, the new text the "same" and "ins" pieces; neighbouring pieces
    of one kind are merged, and a deletion comes before the insertion that replaces it."""
    a, b = _tokens(old), _tokens(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _add(pieces, "same", "".join(a[i1:i2]))
        else:
            _add(pieces, "del", "".join(a[i1:i2]))
            _add(pieces, "ins", "".join(b[j1:j2]))
    return tuple(pieces)


def old_side(pieces: tuple[Piece, ...]) -> str:
    """The text the difference was taken from."""
    return "".join(p.text for p in pieces if p.kind != "ins")


def new_side(pieces: tuple[Piece, ...]) -> str:
    """The text the difference leads to."""
    return "".join(p.text for p in pieces if p.kind != "del")


def changes(pieces: tuple[Piece, ...]) -> tuple[int, int]:
    """(words added, words removed): how large a change is, in words."""
    added = sum(len(_WORD.findall(p.text)) for p in pieces if p.kind == "ins")
    removed = sum(len(_WORD.findall(p.text)) for p in pieces if p.kind == "del")
    return added, removed


def syllables(word: str) -> int:
    """A word's syllables, estimated: its groups of vowels (y counted as one), less a final
    silent "e" (not in "-le" after a consonant, as in "table"), and at least one. English
    dictionaries disagree with this on some words; over a document the error evens out."""
    w = word.lower().strip("'’")
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif len(w) > 2 and w.endswith("le") and w[-3] not in "aeiouy" and count == 1:
        count += 1
    return max(1, count)


@dataclass(frozen=True)
class Readability:
    """Flesch reading ease of a text (0-100; higher reads more easily) against TARGET."""

    score: int
    words: int
    sentences: int

    @property
    def meets_target(self) -> bool:
        return self.score >= TARGET

    @property
    def meaning(self) -> str:
        return next(words for floor, words in BANDS if self.score >= floor)


def readability(text: str) -> Readability | None:
    """Flesch reading ease: 206.835 - 1.015 x words per sentence - 84.6 x syllables per
    word, rounded and held to 0-100 (the scale's range for prose; very short texts fall
    outside it). A sentence ends at ".", "!", "?" or a line break (a heading, a list item).
    None for a text with no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, sum(1 for part in _SENTENCE_END.split(text) if _WORD.search(part)))
    syllable_count = sum(syllables(w) for w in words)
    raw = 206.835 - 1.015 * len(words) / sentences - 84.6 * syllable_count / len(words)
    return Readability(max(0, min(100, round(raw))), len(words), sentences)
