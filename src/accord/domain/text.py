"""Text a person must write (a reason, a title, a post): kept without its outer spaces and
refused when nothing is left, with the caller's words for what is missing."""

from accord.domain.errors import InvalidInput


def required(text: str, missing: str) -> str:
    """`text` stripped of leading and trailing whitespace; `InvalidInput(missing)` if empty."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(missing)
    return cleaned
