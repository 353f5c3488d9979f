"""Unsafe or unreadable uploads are refused before parsing, always with a reason, never with a crash."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semicluster.intake.pipeline import parse_upload
from semicluster.intake.safety import DEFAULT_LIMITS, OLE_MAGIC, UploadLimits, UploadRefused, check_upload

from .builders import CODE_LISTS, HEADER, PERIOD_DATA, clean_rows, csv_bytes, xlsx_bytes

VALID = xlsx_bytes(clean_rows())


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Rebuild an .xlsx with some members replaced or added (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def refusal(filename, data, limits=DEFAULT_LIMITS):
    with pytest.raises(UploadRefused) as caught:
        check_upload(filename, data, limits)
    message = caught.value.message
    assert " / " in message  # Chinese and English
    return message


def test_a_valid_workbook_passes():
    check_upload("a.xlsx", VALID)
    check_upload("a.csv", csv_bytes(clean_rows(), encoding="gbk"))


def test_empty_and_oversized_files_say_so():
    assert "文件为空" in refusal("a.xlsx", b"")
    message = refusal("a.xlsx", VALID, UploadLimits(max_bytes=1000))
    assert "超过上限" in message and "MB" in message


@pytest.mark.parametrize("name", ["a.pdf", "a.exe", "noextension", "a.xlsx.zip"])
def test_unsupported_extensions_are_named(name):
    assert "不支持的文件类型" in refusal(name, VALID)


def test_a_web_page_saved_as_xls_gets_advice_to_save_as_xlsx():
    message = refusal("导出.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "另存为" in message


def test_content_that_does_not_match_the_extension_is_refused():
    assert "内容不是 Excel" in refusal("a.xlsx", b"just some text")
    assert "扩展名为 .csv" in refusal("a.csv", VALID)


def test_password_protected_workbooks_are_refused_with_the_reason():
    encrypted = OLE_MAGIC + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    assert "密码" in refusal("secret.xlsx", encrypted)


def test_zip_bomb_by_ratio_is_refused():
    bomb = rezip(VALID, add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "压缩炸弹" in refusal("bomb.xlsx", bomb)


def test_zip_bomb_by_total_size_is_refused():
    filler = bytes(range(256)) * 4096  # 1 MB that deflates poorly, so only the total trips
    big = rezip(VALID, add={f"xl/media/m{i}.bin": filler for i in range(12)})
    message = refusal("big.xlsx", big, UploadLimits(max_uncompressed_bytes=10 * 1024 * 1024))
    assert "解压后过大" in message


def test_sizes_declared_in_the_zip_headers_are_not_trusted():
    bomb = rezip(VALID, add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})
    # Lie in the central directory: declare the member as 10 bytes uncompressed.
    marker = b"xl/media/padding.bin"
    central = bomb.rfind(b"PK\x01\x02", 0, bomb.rfind(marker))
    lying = bytearray(bomb)
    lying[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(UploadRefused):
        check_upload("lie.xlsx", bytes(lying))


def test_too_many_zip_members_is_refused():
    many = rezip(VALID, add={f"xl/media/{i}.bin": b"x" for i in range(60)})
    assert "部件" in refusal("many.xlsx", many, UploadLimits(max_members=50))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol2;</sheets></workbook>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>&x;</sheetData></worksheet>"""


@pytest.mark.parametrize(
    "member,body",
    [("xl/workbook.xml", BILLION_LAUGHS), ("xl/worksheets/sheet1.xml", EXTERNAL_ENTITY)],
)
def test_xml_entity_declarations_are_refused(member, body):
    evil = rezip(VALID, replace={member: body})
    assert "DOCTYPE/ENTITY" in refusal("evil.xlsx", evil)
    with pytest.raises(UploadRefused):
        parse_upload("evil.xlsx", evil, PERIOD_DATA, code_lists=CODE_LISTS)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in refusal("a.xlsx", out.getvalue())


def test_truncated_workbook_is_refused_as_damaged():
    assert "损坏或不完整" in refusal("cut.xlsx", VALID[: len(VALID) // 2])


def test_a_damaged_member_is_refused_as_damaged():
    broken = bytearray(VALID)
    start = VALID.find(b"xl/worksheets/sheet1.xml") + 40
    broken[start : start + 60] = b"\x00" * 60
    with pytest.raises(UploadRefused, match="损坏"):
        parse_upload("broken.xlsx", bytes(broken), PERIOD_DATA, code_lists=CODE_LISTS)


def test_a_damaged_xls_is_refused_when_read():
    junk = OLE_MAGIC + b"\x01" * 2000
    with pytest.raises(UploadRefused, match="损坏或不完整"):
        parse_upload("old.xls", junk, PERIOD_DATA, code_lists=CODE_LISTS)


def test_row_limits_are_checked_before_parsing():
    rows = [HEADER] + [[i, f"C{i}", "甲", "玉山镇", "2025-06", 1, 1] for i in range(200)]
    limits = UploadLimits(max_rows=100)
    assert "超过单次导入上限 100 行" in refusal("a.xlsx", xlsx_bytes(rows), limits)
    assert "超过单次导入上限 100 行" in refusal("a.csv", csv_bytes(rows), limits)
    with pytest.raises(UploadRefused, match="上限"):
        parse_upload("a.xlsx", xlsx_bytes(rows), PERIOD_DATA, code_lists=CODE_LISTS, limits=limits)


def test_empty_formatted_rows_do_not_count_against_the_row_limit():
    sheet = b'<row r="5" s="1" customFormat="1"/>' * 500
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        + sheet
        + b"</sheetData></worksheet>"
    )
    check_upload(
        "a.xlsx", rezip(VALID, replace={"xl/worksheets/sheet1.xml": body}), UploadLimits(max_rows=100)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=1, max_size=8)), max_size=4),
    truncate=st.one_of(st.none(), st.integers(0, len(VALID))),
    name=st.sampled_from(["a.xlsx", "a.xls", "a.csv"]),
)
def test_mangled_files_are_parsed_or_refused_never_crash(cuts, truncate, name):
    data = bytearray(VALID)
    for at, junk in cuts:
        data[at : at + len(junk)] = junk
    if truncate is not None:
        data = data[:truncate]
    try:
        parse_upload(name, bytes(data), PERIOD_DATA, code_lists=CODE_LISTS)
    except UploadRefused as refused:
        assert refused.message


def test_one_stray_cell_far_away_is_refused_before_the_reader_allocates_the_whole_box():
    # Reaching this cell would make the reader allocate ~26 GB and abort the process.
    data = xlsx_bytes([HEADER, ["x"]], errors={})
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active["XFD50000"] = "stray"
    buf = io.BytesIO()
    wb.save(buf)
    message = refusal("stray.xlsx", buf.getvalue())
    assert "第 50000 行、第 16384 列" in message
    with pytest.raises(UploadRefused):
        parse_upload("stray.xlsx", buf.getvalue(), PERIOD_DATA, code_lists=CODE_LISTS)


def test_sheet_extent_is_found_even_when_a_tag_straddles_two_chunks():
    from semicluster.intake import safety

    scan = safety._SheetScan(is_sheet=True)
    xml = b'<row r="7"><c r="A7"><v>1</v></c><c r="XFD7"><v>2</v></c></row>'
    for cut in range(1, len(xml)):
        scan = safety._SheetScan(is_sheet=True)
        scan.feed(xml[:cut])
        scan.feed(xml[cut:])
        scan.feed(b"", final=True)
        assert (scan.rows, scan.last_row, scan.last_col) == (1, 7, 16384), cut


def test_an_xls_spanning_too_many_cells_is_refused_before_it_is_read():
    from .builders import xls_bytes

    rows = [HEADER] + [[i] + [""] * 5 + [i] for i in range(50)]
    rows[-1] = rows[-1] + [""] * 200 + ["stray"]
    with pytest.raises(UploadRefused, match="范围过大"):
        parse_upload(
            "wide.xls",
            xls_bytes(rows),
            PERIOD_DATA,
            code_lists=CODE_LISTS,
            limits=UploadLimits(max_cells=5000),
        )
