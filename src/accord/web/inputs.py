"""What every input is held to before a service sees it, so that no input makes a 500.

- Text holds no NUL character (PostgreSQL cannot store one) and no lone surrogate (it is
  not Unicode, and cannot be encoded as UTF-8 for any database).
- An integer fits the 64-bit column it is compared with or stored in.
- Every string, list and page a caller controls has a limit, checked by the schema before
  any loop over it runs.

`Input` is the base of every service input (the API's bodies and query filters, and what
the pages' forms and the commands parse into): it refuses unsafe text anywhere in the raw
input, the keys of free-form documents included. Route parameters (path and plain query
values), which django-ninja validates outside any schema, use the annotated types below.
"""

from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

BIGINT_MAX = 2**63 - 1  # the largest value of a 64-bit column (ids, seq, amounts)
INT_MAX = 2**31 - 1  # of a 32-bit column (positive integer fields: days, versions, rounds)
SMALLINT_MAX = 2**15 - 1  # of a 16-bit column (small positive integer fields)
NESTING_MAX = 32  # how deep a free-form document (a policy) may nest
KEY_MAX = 200  # slugs, handles, purposes, search terms: longer than any that exists


def size_text(size: int) -> str:
    """A size in bytes as people read it: "1,001 bytes" below 100 kB, else "20.0 MB"."""
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "must not contain a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "must be valid Unicode (it holds a lone surrogate)"
    return None


def storable(value: str) -> bool:
    """Whether `value` could be stored, so could match a stored value: a read given one
    that could not (a NUL in a search box) finds nothing instead of failing."""
    return text_problem(value) is None


def first_unsafe(data: Any) -> str | None:
    """The first unsafe text anywhere in `data` (strings, and the keys and values of dicts
    and lists, walked once without recursion), as "where: why"; None when all is safe."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return f"{where}: {problem}" if where else problem
        elif isinstance(value, dict | list | tuple):
            if depth > NESTING_MAX:
                return f"{where or 'the input'}: is nested more than {NESTING_MAX} levels deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and (problem := text_problem(key)):
                    return f"{where or 'the input'}: a name in it {problem}"
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
    return None


def _safe(value: Any) -> Any:
    problem = text_problem(value) if isinstance(value, str) else None
    if problem:
        raise PydanticCustomError("unsafe_text", problem)
    return value


class Input(Schema):
    """The base of every service input: unsafe text anywhere is refused with where it is."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unsafe_text(cls, data: Any) -> Any:
        # django-ninja hands schema validators the raw input wrapped in a DjangoGetter.
        problem = first_unsafe(data._obj if isinstance(data, DjangoGetter) else data)
        if problem:
            raise PydanticCustomError("unsafe_text", problem)
        return data


# Route parameters -------------------------------------------------------------------

Key = Annotated[str, BeforeValidator(_safe), Field(max_length=KEY_MAX)]
"""A slug, public handle, purpose or search term in a path or a query."""

CURSOR_MAX = 600  # a page cursor: a name of 80 characters of any script, and a handle
Cursor = Annotated[str, BeforeValidator(_safe), Field(max_length=CURSOR_MAX)]
"""An opaque page cursor a list gave as its `next`."""

Id = Annotated[int, Field(ge=0, le=BIGINT_MAX)]
"""A row id or a ledger seq in a path or a query."""
