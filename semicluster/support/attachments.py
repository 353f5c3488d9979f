"""Attachment checks (PDF, PNG, JPEG only), by content and not only by the file name.

The first bytes decide the type; the name's extension must agree with them, so a script renamed to
``.pdf`` or a PNG renamed to ``.jpg`` is refused with a reason the applicant can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_APPLICATION = 20

# magic bytes → (content type, canonical extension, accepted extensions)
_TYPES: tuple[tuple[bytes, str, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", "pdf", ("pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png", ("png",)),
    (b"\xff\xd8\xff", "image/jpeg", "jpg", ("jpg", "jpeg")),
)


class AttachmentRefused(ValueError):
    pass


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def check_attachment(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Sniffed:
    """The attachment's real type, or ``AttachmentRefused`` saying why it cannot be accepted."""
    size = len(data)
    if size == 0:
        raise AttachmentRefused(f"文件 {name} 为空 / the file {name} is empty")
    if size > max_bytes:
        raise AttachmentRefused(
            f"文件 {name} 为 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 上限 / "
            f"the file {name} is {size / 1024 / 1024:.1f} MB, above the {max_bytes // 1024 // 1024} MB limit"
        )
    suffix = PurePath(name).suffix.lower().lstrip(".")
    for magic, content_type, extension, accepted in _TYPES:
        if data.startswith(magic):
            if suffix not in accepted:
                raise AttachmentRefused(
                    f"文件 {name} 的内容是 {extension.upper()}，与扩展名 .{suffix or '（无）'} 不符 / "
                    f"the content of {name} is {extension.upper()}, which does not match its extension "
                    f".{suffix or '(none)'}"
                )
            return Sniffed(content_type, extension)
    raise AttachmentRefused(
        f"文件 {name} 不是 PDF、PNG 或 JPEG（按文件内容判断）/ "
        f"the file {name} is not a PDF, PNG or JPEG (judged by its content)"
    )
