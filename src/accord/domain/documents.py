"""Which files may be attached to an agreement: a size limit and a type told by the file's
own first bytes, which must agree with its name's extension (a renamed file is refused)."""

from dataclasses import dataclass

from accord.domain.errors import InvalidInput

DOCUMENT_MAX_BYTES = 5_000_000
NAME_MAX = 160


@dataclass(frozen=True)
class DocumentType:
    extensions: frozenset[str]
    content_type: str
    magic: bytes | None  # None: UTF-8 text without NUL bytes


TYPES: tuple[DocumentType, ...] = (
    DocumentType(frozenset({"pdf"}), "application/pdf", b"%PDF-"),
    DocumentType(frozenset({"png"}), "image/png", b"\x89PNG\r\n\x1a\n"),
    DocumentType(frozenset({"jpg", "jpeg"}), "image/jpeg", b"\xff\xd8\xff"),
    DocumentType(frozenset({"odt"}), "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    DocumentType(
        frozenset({"docx"}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    DocumentType(frozenset({"txt", "md"}), "text/plain; charset=utf-8", None),
    DocumentType(frozenset({"csv"}), "text/csv; charset=utf-8", None),
)
ACCEPTED = sorted(ext for t in TYPES for ext in t.extensions)


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_document(name: str, content: bytes) -> str:
    """Return the content type of a file that may be attached, or refuse it (InvalidInput)
    saying why: no name, too long a name, empty, over DOCUMENT_MAX_BYTES, an extension not
    accepted, or content that is not what the extension says."""
    name = name.strip()
    if not name or len(name) > NAME_MAX or any(c in name for c in "/\\\x00"):
        raise InvalidInput(f"Give the file a plain name of at most {NAME_MAX} characters.")
    if not content:
        raise InvalidInput("The file is empty.")
    if len(content) > DOCUMENT_MAX_BYTES:
        raise InvalidInput(
            f"The file is {len(content):,} bytes; at most {DOCUMENT_MAX_BYTES:,} may be attached."
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((t for t in TYPES if extension in t.extensions), None)
    if kind is None:
        raise InvalidInput(f"Attach a file of one of these types: {', '.join(ACCEPTED)}.")
    matches = content.startswith(kind.magic) if kind.magic is not None else _is_text(content)
    if not matches:
        raise InvalidInput(f"The file's content is not a .{extension} file.")
    return kind.content_type
