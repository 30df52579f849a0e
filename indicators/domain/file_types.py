"""What an uploaded evidence file really is, read from its bytes, not from its name. Pure functions.

Allowed: PDF, DOCX, XLSX, JPEG and PNG. A file whose content is none of these, or is another of them
than its name says (a PNG called .pdf, a zip called .docx), is refused with the reason.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
JPEG = FileType("jpg", "JPG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "PNG", "image/png", (".png",))
ALLOWED = (PDF, DOCX, XLSX, JPEG, PNG)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}
MAX_ZIP_MEMBERS = 2000


class FileTypeError(ValueError):
    """The file cannot be accepted as evidence; str(error) says why, translated."""


def allowed_list() -> str:
    return ", ".join(t.label for t in ALLOWED)


def clean_filename(name: str) -> str:
    """The uploader's file name without folders or control characters, NFC, at most 200 characters.

    It is only ever shown (escaped) and offered as the download name, never used to store the file.
    """
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '"\\/')
    return base.strip()[:200] or "tep"


def sniff(content: bytes) -> FileType | None:
    """The allowed type the bytes are, or None."""
    if content.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in content[-2048:] else None
    if content.startswith(b"\x89PNG\r\n\x1a\n") and content[12:16] == b"IHDR":
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return None


def _office_type(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None
    if len(names) > MAX_ZIP_MEMBERS or "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check_evidence_file(content: bytes, filename: str, *, max_bytes: int) -> FileType:
    """The file's type if it may be stored as evidence; FileTypeError with the reason otherwise."""
    if not content:
        raise FileTypeError(_("Tệp rỗng (0 byte)."))
    if len(content) > max_bytes:
        raise FileTypeError(
            _("Tệp quá lớn (%(size)s KB, tối đa %(max)s KB).")
            % {"size": f"{len(content) // 1024:,}", "max": f"{max_bytes // 1024:,}"}
        )
    found = sniff(content)
    suffix = PurePosixPath(clean_filename(filename).lower()).suffix
    claimed = next((t for t in ALLOWED if suffix in t.extensions), None)
    if found is None:
        if claimed is not None:
            raise FileTypeError(
                _("Tệp “%(name)s” mang đuôi %(suffix)s nhưng nội dung không phải tệp %(type)s hợp lệ.")
                % {"name": clean_filename(filename), "suffix": suffix, "type": claimed.label}
            )
        raise FileTypeError(
            _("Loại tệp không được chấp nhận. Chỉ nhận: %(types)s (kiểm tra theo nội dung tệp).")
            % {"types": allowed_list()}
        )
    if claimed is not found:
        raise FileTypeError(
            _("Tệp “%(name)s” có nội dung %(found)s nhưng tên tệp không có đuôi %(ext)s. Hãy đặt lại tên tệp.")
            % {"name": clean_filename(filename), "found": found.label, "ext": found.extensions[0]}
        )
    return found
