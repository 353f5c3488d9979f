"""Bounds on uploads, checked before any parser sees the bytes (OWASP ASVS 5.0 §5.2.1–5.2.3).

An .xlsx file is a zip of XML parts. A small file can expand to gigabytes (zip bomb) and an XML part can
declare entities that expand exponentially (billion laughs). So before parsing we: bound the file size;
check that the content is the Excel or text file its name claims; walk the zip's members, bounding their
number, their *actual* decompressed size (headers can lie, so we count while inflating) and the
expansion ratio; refuse any part that declares a DOCTYPE or ENTITY; and count rows. Each refusal says
why, in words a clerk can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from .problems import msg

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


class UploadRefused(Exception):
    """The upload is refused before (or while) reading; ``message`` tells the clerk why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 30 * 1024 * 1024
    max_rows: int = 200_000
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_ratio: float = 200.0  # per zip member; real sheet XML compresses 10–30×
    max_members: int = 2_000
    max_cells: int = 5_000_000  # rows × columns of a sheet's bounding box, which the reader allocates


DEFAULT_LIMITS = UploadLimits()


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def sniff_format(filename: str, data: bytes) -> str:
    """Decide the reader from the content, and refuse content that does not match the file's name.

    The two Excel formats are accepted under each other's extension (a renamed .xls is common and
    harmless); HTML or other content saved as ".xls" by web systems is refused with advice.
    """
    name = filename.lower().strip()
    ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in EXTENSIONS:
        raise UploadRefused(
            msg(
                f"不支持的文件类型「{ext or '无扩展名'}」，请上传 .xlsx、.xls 或 .csv 文件",
                f"unsupported file type '{ext or 'no extension'}'; upload .xlsx, .xls or .csv",
            )
        )
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:  # an .xlsx with an opening password is an OLE file holding this stream
            raise UploadRefused(
                msg(
                    "文件设有打开密码，请取消密码后再上传",
                    "the workbook is password-protected; remove the password and upload again",
                )
            )
        if ext in (".csv", ".txt"):
            raise UploadRefused(_mismatch(ext, "Excel 97-2003 (.xls)"))
        return "xls"
    if data.startswith(ZIP_MAGIC):
        if ext in (".csv", ".txt"):
            raise UploadRefused(_mismatch(ext, "Excel (.xlsx)"))
        return "xlsx"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<head", b"<meta")):
        raise UploadRefused(
            msg(
                "这是网页（HTML/XML）文件，只是扩展名为表格，请在 Excel 中打开后「另存为」.xlsx 再上传",
                "this is a web page (HTML/XML) with a spreadsheet name; open it in Excel and save as .xlsx",
            )
        )
    if ext in (".xlsx", ".xlsm", ".xls"):
        raise UploadRefused(
            msg(
                f"文件扩展名为 {ext}，但内容不是 Excel 文件（可能已损坏或被改名）",
                f"the file is named {ext} but is not an Excel workbook (damaged or renamed)",
            )
        )
    return "csv"


def _mismatch(ext: str, actual: str) -> str:
    return msg(
        f"文件扩展名为 {ext}，但内容是 {actual}，请改正扩展名后再上传",
        f"the file is named {ext} but holds {actual}; fix the extension and upload again",
    )


def check_upload(filename: str, data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Raise UploadRefused unless the upload is within bounds and safe to hand to a parser."""
    if not data:
        raise UploadRefused(msg("文件为空", "the file is empty"))
    if len(data) > limits.max_bytes:
        raise UploadRefused(
            msg(
                f"文件大小 {_mb(len(data))} 超过上限 {_mb(limits.max_bytes)}，请拆分后分批上传",
                f"the file is {_mb(len(data))}, over the {_mb(limits.max_bytes)} limit; split it",
            )
        )
    fmt = sniff_format(filename, data)
    if fmt == "xlsx":
        _check_zip(data, limits)
    elif fmt == "csv":
        rows = data.count(b"\n")
        if rows > limits.max_rows + 50:
            raise UploadRefused(_row_limit(rows, limits.max_rows))


def _row_limit(rows: int, limit: int) -> str:
    return msg(
        f"文件约有 {rows} 行，超过单次导入上限 {limit} 行，请拆分成多个文件",
        f"the file has about {rows} rows, more than the {limit} allowed in one import; split it",
    )


_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Non-self-closing row tags only: LibreOffice writes formatted but empty rows as <row .../>.
_ROW = re.compile(rb"<(?:\w+:)?row(?:\s[^<>]*[^/<>])?>")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^<>]*?\br=\"([0-9]{1,9})\"")
_CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^<>]*?\br=\"([A-Z]{1,4})[0-9]")
_CHUNK = 1 << 20


def _check_zip(data: bytes, limits: UploadLimits) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, OSError, EOFError, struct errors: all mean "damaged"
        raise UploadRefused(
            msg(
                "文件已损坏或不完整（不是有效的 .xlsx），请在 Excel 中重新保存后再上传",
                "the file is damaged or incomplete (not a valid .xlsx); save it again in Excel",
            )
        ) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise UploadRefused(
                msg(
                    f"压缩包内含 {len(infos)} 个部件，超过上限 {limits.max_members}，疑似异常文件",
                    f"the workbook holds {len(infos)} parts, over the {limits.max_members} limit",
                )
            )
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise UploadRefused(
                msg(
                    "文件不是 Excel 工作簿（可能是其他压缩文件或 WPS/ODS 格式），请另存为 .xlsx",
                    "the file is not an Excel workbook (another zip, or ODS); save it as .xlsx",
                )
            )
        total = 0
        rows = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise UploadRefused(
                    msg(
                        "文件内容已加密，请取消密码后再上传", "the workbook is encrypted; remove the password"
                    )
                )
            size, member_rows = _inflate_member(zf, info, limits, limits.max_uncompressed_bytes - total)
            total += size
            rows += member_rows
        if rows > limits.max_rows + 50:
            raise UploadRefused(_row_limit(rows, limits.max_rows))


def _bomb(detail_zh: str, detail_en: str) -> UploadRefused:
    return UploadRefused(
        msg(
            f"文件解压后过大（{detail_zh}），疑似“压缩炸弹”，已拒绝",
            f"the file expands too much when unzipped ({detail_en}); refused as a possible zip bomb",
        )
    )


class _SheetScan:
    """What a worksheet's XML says about its size, read chunk by chunk.

    Each chunk is cut at its last '<' and the remainder carried into the next one: every pattern here
    starts with '<' and contains no other, so no match is split across chunks or counted twice.
    """

    def __init__(self, is_sheet: bool) -> None:
        self.is_sheet = is_sheet
        self.carry = b""
        self.rows = 0  # non-empty <row> elements
        self.last_row = 0  # highest row number referenced
        self.last_col = 0  # highest column index referenced (1-based)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        buffer = self.carry + chunk
        cut = len(buffer) if final else buffer.rfind(b"<")
        if cut <= 0:
            self.carry = buffer
            return
        text, self.carry = buffer[:cut], buffer[cut:]
        if _DTD.search(text):
            raise UploadRefused(_xml_attack())
        if not self.is_sheet:
            return
        self.rows += len(_ROW.findall(text))
        numbers = _ROW_NUMBER.findall(text)
        if numbers:
            self.last_row = max(self.last_row, int(numbers[-1]), max(map(int, numbers)))
        letters = set(_CELL_COLUMN.findall(text))
        if letters:
            widest = max(letters, key=lambda b: (len(b), b))
            self.last_col = max(self.last_col, _column_number(widest))


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _inflate_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: UploadLimits, budget: int
) -> tuple[int, int]:
    """Inflate one member in chunks, counting real bytes; scan XML for DTDs; bound a sheet's extent."""
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    is_sheet = info.filename.startswith("xl/worksheets/") and is_xml
    ratio_cap = max(info.compress_size, 1024) * limits.max_ratio
    size = 0
    scan = _SheetScan(is_sheet)
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                if size == 0 and is_xml and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                    # XML in UTF-16 would hide a DTD from a byte scan: Excel never writes it.
                    raise UploadRefused(_xml_attack())
                size += len(chunk)
                if size > budget:
                    raise _bomb(
                        f"超过 {_mb(limits.max_uncompressed_bytes)}",
                        f"over {_mb(limits.max_uncompressed_bytes)}",
                    )
                if size > ratio_cap:
                    raise _bomb(
                        f"压缩比超过 {limits.max_ratio:.0f} 倍", f"ratio over {limits.max_ratio:.0f}×"
                    )
                if is_xml:
                    scan.feed(chunk)
            if is_xml:
                scan.feed(b"", final=True)
    except UploadRefused:
        raise
    except Exception as exc:  # zlib.error, BadZipFile, EOFError …: a damaged file, whatever the symptom
        raise UploadRefused(
            msg(
                "文件已损坏或不完整（解压失败），请在 Excel 中重新保存后再上传",
                "the file is damaged or incomplete (cannot unzip); save it again in Excel",
            )
        ) from exc
    # The reader allocates the sheet's whole bounding box, so one stray cell at XFD1048576 would make a
    # 100 KB file ask for terabytes: bound rows × columns before anything parses the sheet.
    last_row, last_col = scan.last_row, max(scan.last_col, 1)
    cells = last_row * last_col
    if is_sheet and cells > limits.max_cells:
        raise UploadRefused(
            msg(
                f"表格范围过大：内容延伸到第 {last_row} 行、第 {last_col} 列（约 {cells:,} 个单元格），"
                "请删除表格右侧和下方多余的内容后再上传",
                f"the sheet reaches row {last_row} and column {last_col} ({cells:,} cells); "
                "delete stray content to the right of and below the table",
            )
        )
    if is_xml and not is_sheet and size <= 4 * 1024 * 1024:
        # Small parts are parsed for real by defusedxml: it refuses DTDs, entities and external refs.
        try:
            SafeET.fromstring(zf.read(info))
        except DefusedXmlException as exc:
            raise UploadRefused(_xml_attack()) from exc
        except Exception as exc:  # ParseError, or a member that inflated once but not twice
            raise UploadRefused(
                msg(
                    f"文件内部结构损坏（{info.filename}），请在 Excel 中重新保存后再上传",
                    f"the workbook's internal part {info.filename} is damaged; save it again in Excel",
                )
            ) from exc
    return size, scan.rows


def _xml_attack() -> str:
    return msg(
        "文件内含 XML 实体声明（DOCTYPE/ENTITY），Excel 不会生成这种内容，出于安全原因已拒绝",
        "the file declares XML entities (DOCTYPE/ENTITY), which Excel never writes; refused for safety",
    )
