"""What changed between two texts, and how plainly a text reads."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.living_documents import (
    TARGET,
    changes,
    diff,
    new_side,
    normalized,
    old_side,
    readability,
    syllables,
)

texts = st.text(alphabet=st.sampled_from("ab cd\nEf. gh! ij?é"), max_size=120) | st.text(
    max_size=60
)


@given(texts)
def test_a_text_against_itself_has_no_changes(text: str) -> None:
    pieces = diff(text, text)

    assert all(p.kind == "same" for p in pieces)
    assert changes(pieces) == (0, 0)


@given(texts, texts)
def test_the_two_sides_of_a_difference_are_the_two_texts(old: str, new: str) -> None:
    pieces = diff(old, new)

    assert old_side(pieces) == old
    assert new_side(pieces) == new


@given(texts, texts)
def test_pieces_are_never_empty_nor_two_of_a_kind_in_a_row(old: str, new: str) -> None:
    pieces = diff(old, new)

    assert all(p.text for p in pieces)
    assert all(a.kind != b.kind for a, b in itertools.pairwise(pieces))


def test_a_changed_word_is_marked_removed_then_added() -> None:
    pieces = diff("We report each quarter.", "We report every month.")

    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "We report "),
        ("del", "each"),
        ("ins", "every"),
        ("same", " "),
        ("del", "quarter."),
        ("ins", "month."),
    ]
    assert changes(pieces) == (2, 2)


@given(st.text(max_size=300))
def test_the_score_stays_within_the_scale(text: str) -> None:
    score = readability(text)

    if score is not None:
        assert 0 <= score.score <= 100
        assert score.words >= 1
        assert score.sentences >= 1
        assert score.meets_target == (score.score >= TARGET)
        assert score.meaning


def test_a_text_without_words_has_no_score() -> None:
    assert readability("  ... \n — ") is None


def test_short_plain_sentences_read_more_easily_than_long_latinate_ones() -> None:
    plain = readability("We share what we get. We say who got it. You can ask us why.")
    dense = readability(
        "Institutional accountability necessitates comprehensive documentation of "
        "organisational expenditure, notwithstanding administrative considerations."
    )

    assert plain is not None
    assert dense is not None
    assert plain.score > dense.score
    assert plain.meets_target
    assert not dense.meets_target


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", min_size=1, max_size=20))
def test_every_word_has_at_least_one_syllable(word: str) -> None:
    assert syllables(word) >= 1


def test_syllables_of_common_words() -> None:
    assert [syllables(w) for w in ("cat", "table", "make", "community", "people")] == [
        1,
        2,
        1,
        4,
        2,
    ]


@given(texts)
def test_line_endings_from_a_browser_read_as_the_same_text(text: str) -> None:
    sent = normalized(text).replace("\n", "\r\n")

    assert normalized(sent) == normalized(text)
    assert "\r" not in normalized(sent)
