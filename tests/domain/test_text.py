"""Text a person must write is kept stripped, and refused with the caller's words when blank."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.errors import InvalidInput
from accord.domain.text import required


@given(st.text())
def test_text_is_kept_stripped_or_refused_when_blank(text: str) -> None:
    if text.strip():
        assert required(text, "Say why.") == text.strip()
    else:
        with pytest.raises(InvalidInput, match=r"^Say why\.$"):
            required(text, "Say why.")
