"""Property-based: malformed rows never crash the pipeline and every bad row is reported, in its place."""

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semicluster.intake.pipeline import parse_upload
from semicluster.intake.safety import UploadRefused

from .builders import CODE_LISTS, HEADER, PERIOD_DATA, clean_rows, csv_bytes, xlsx_bytes

# Each strategy yields (cell value, is_valid). Blank is valid for optional columns, invalid for required.
BLANKS = st.sampled_from(["", "—", "/", "无", "-"])
towns = st.one_of(
    st.tuples(st.sampled_from(["玉山镇", "巴城镇", "320583103", " 张浦镇 "]), st.just(True)),
    st.tuples(BLANKS, st.just(True)),
    st.tuples(st.sampled_from(["火星镇", "xyz", "玉山"]), st.just(False)),
)
periods = st.one_of(
    st.tuples(st.sampled_from(["2025-06", "2025年6月", "2025/06", "202506", "2025年1-6月"]), st.just(True)),
    st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.just(True)),
    st.tuples(st.sampled_from(["六月", "2025-13", "abc", "2025年", "#N/A"]), st.just(False)),
    st.tuples(BLANKS, st.just(False)),  # required
)
amounts = st.one_of(
    st.tuples(st.floats(0, 1e9, allow_nan=False).map(lambda f: round(f, 2)), st.just(True)),
    st.tuples(st.decimals(0, 10**9, places=2).map(lambda d: f"{d:,}"), st.just(True)),
    st.tuples(
        st.integers(0, 10**9).map(
            lambda i: str(i).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        ),
        st.just(True),
    ),
    st.tuples(BLANKS, st.just(True)),
    st.tuples(st.sampled_from(["abc", "12元5", "#DIV/0!", "-5", "1,2,3", "约100", "9" * 25]), st.just(False)),
)
staff = st.one_of(
    st.tuples(st.integers(0, 100_000), st.just(True)),
    st.tuples(st.sampled_from(["1,200", "３５", ""]), st.just(True)),
    st.tuples(st.sampled_from([12.5, "many", -3, "1.5"]), st.just(False)),
)
names = st.one_of(
    st.tuples(
        st.text(alphabet="甲乙丙丁ABC123（）", min_size=1, max_size=6).map(lambda t: "昆山" + t),
        st.just(True),
    ),
    st.tuples(BLANKS, st.just(False)),
)
codes = st.one_of(st.tuples(st.just("CODE"), st.just(True)), st.tuples(BLANKS, st.just(False)))
row_cells = st.tuples(codes, names, towns, periods, amounts, staff)


def build(rows):
    body = []
    for i, cells in enumerate(rows):
        values = [v for v, _ok in cells]
        if values[0] == "CODE":
            values[0] = f"91320583MA{i:08d}"  # unique, so natural-key duplicates do not muddle the oracle
        body.append([i + 1, *values])
    return [HEADER, *body]


def is_blank(value):
    return value in ("", None) or (isinstance(value, str) and not value.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row_cells, min_size=1, max_size=12), fmt=st.sampled_from(["xlsx", "csv-gbk", "csv-utf-8"])
)
def test_every_bad_row_is_reported_and_no_good_row_is_blamed(rows, fmt):
    grid = build(rows)
    if fmt == "xlsx":
        name, data = "p.xlsx", xlsx_bytes(grid)
    else:
        name, data = "p.csv", csv_bytes(grid, encoding=fmt.split("-", 1)[1])
    result = parse_upload(name, data, PERIOD_DATA, code_lists=CODE_LISTS)
    present, bad = set(), set()
    for i, cells in enumerate(rows):
        row_number = i + 2
        if all(is_blank(v) for v, _ok in cells):
            continue  # a blank row is skipped, not imported and not an error
        present.add(row_number)
        if not all(ok for _v, ok in cells):
            bad.add(row_number)
    assert {r.row_number for r in result.rows} == present
    assert {r.row_number for r in result.rows if not r.ok} == bad
    for problem in result.all_problems():
        assert problem.sheet and " / " in problem.message
    again = parse_upload(name, data, PERIOD_DATA, code_lists=CODE_LISTS)
    assert [r.values for r in again.rows] == [r.values for r in result.rows]  # deterministic


VALID = xlsx_bytes(clean_rows())


def with_sheet_xml(mutate) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, mutate(body) if info.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.floats(0, 1), junk=st.binary(max_size=20), cut=st.booleans())
def test_damaged_sheet_xml_inside_a_sound_zip_is_parsed_or_refused_never_crashes(at, junk, cut):
    def mutate(body: bytes) -> bytes:
        pos = int(at * len(body))
        return body[:pos] + junk + (b"" if cut else body[pos + len(junk) :])

    try:
        parse_upload("x.xlsx", with_sheet_xml(mutate), PERIOD_DATA, code_lists=CODE_LISTS)
    except UploadRefused as refused:
        assert " / " in refused.message


header_words = st.sampled_from(
    [
        "企业名称",
        "统一社会信用代码",
        "营业收入（万元）",
        "本期",
        "同比(%)",
        "单位：亿元",
        "合计",
        "",
        "月份",
        "2025年1-6月",
        "#N/A",
    ]
)
any_cell = st.one_of(
    header_words,
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**20), 10**20),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(
    grid=st.lists(st.lists(any_cell, max_size=8), max_size=10),
    merges=st.lists(st.tuples(*[st.integers(0, 9)] * 4), max_size=3),
)
def test_arbitrary_grids_never_crash_header_location_or_row_parsing(grid, merges):
    from semicluster.intake.cells import CodeLookup
    from semicluster.intake.headers import locate_header
    from semicluster.intake.reading import Sheet
    from semicluster.intake.rows import parse_sheet_rows

    width = max((len(r) for r in grid), default=0)
    padded = [list(r) + [""] * (width - len(r)) for r in grid]
    ranges = [(min(a, b), min(c, d), max(a, b), max(c, d)) for a, b, c, d in merges]
    sheet = Sheet("s", padded, merged=ranges)
    header = locate_header(sheet, PERIOD_DATA)
    if header.found:
        lookups = {name: CodeLookup(name, pairs) for name, pairs in CODE_LISTS.items()}
        parsed = parse_sheet_rows(sheet, header, PERIOD_DATA, lookups)
        assert len(parsed.rows) + len(parsed.skipped) + parsed.blank_rows == len(padded) - header.data_start
    for problem in header.problems:
        assert " / " in problem.message
