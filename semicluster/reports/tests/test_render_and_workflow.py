"""The report's three files, the workflow with its audit, immutability after publishing, and the CLI."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm

from semicluster.core.models import SecurityEvent
from semicluster.reports.build import SECTION_TITLES, build_annual_report
from semicluster.reports.models import ImmutableError, ReportEvent, ReportVersion, Status
from semicluster.reports.render import render
from semicluster.reports.selectors import current_document
from semicluster.reports.services import report_create, report_edit, report_regenerate, report_transition

from .conftest import YEAR


def pdf_text(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def internal(city):
    return build_annual_report(YEAR, "internal").document


def test_word_file_reads_back_with_a4_pages_gb_margins_and_the_gongwen_fonts(internal):
    word = open_docx(io.BytesIO(render(internal, "docx")))
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) <= Mm(0.2) and abs(section.page_height - Mm(297)) <= Mm(0.2)
    assert abs(section.top_margin - Mm(37)) <= Mm(0.2) and abs(section.left_margin - Mm(28)) <= Mm(0.2)
    fonts = set()
    for style in word.styles:
        rpr = getattr(style.element, "rPr", None)
        rfonts = None if rpr is None else rpr.find(qn("w:rFonts"))
        if rfonts is not None and rfonts.get(qn("w:eastAsia")):
            fonts.add(rfonts.get(qn("w:eastAsia")))
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= fonts
    text = "\n".join(p.text for p in word.paragraphs)
    for heading in SECTION_TITLES.values():
        assert heading in text
    assert "2025年度昆山市半导体产业发展监测报告" in text


def test_pdf_text_contains_every_heading_and_the_scale_sentence(internal):
    text = pdf_text(render(internal, "pdf"))
    for heading in SECTION_TITLES.values():
        assert heading in text
    assert "全市半导体产业规模达47.55亿元" in text


def test_html_is_a_fragment_with_every_heading_and_embedded_charts(internal):
    html = render(internal, "html").decode()
    assert all(heading in html for heading in SECTION_TITLES.values())
    assert "data:image/png;base64," in html and "<script>" not in html


def test_only_city_admins_create_and_publish(city, personas):
    with pytest.raises(PermissionDenied):
        report_create(actor=personas["leader"], year=YEAR, edition="public")
    report = report_create(actor=personas["admin"], year=YEAR, edition="public")
    with pytest.raises(PermissionDenied):
        report_transition(actor=personas["kfq_officer"], report=report, action="submit")


def test_workflow_runs_draft_review_approved_published_with_an_audit_entry_per_step(city, personas):
    admin = personas["admin"]
    report = report_create(actor=admin, year=YEAR, edition="public")
    report = report_edit(actor=admin, report=report, key="summary.goals", text="审定后的目标综述。")
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=admin, report=report, action=action, note=f"{action} ok")
    assert report.status == Status.PUBLISHED
    steps = list(ReportEvent.objects.filter(report=report).values_list("action", "from_status", "to_status"))
    assert steps == [
        ("create", "", "draft"),
        ("edit", "draft", "draft"),
        ("submit", "draft", "review"),
        ("approve", "review", "approved"),
        ("publish", "approved", "published"),
    ]
    version = report.versions.get()
    assert version.number == 1 and version.published_by == admin
    assert bytes(version.docx)[:2] == b"PK" and bytes(version.pdf)[:5] == b"%PDF-"
    assert "审定后的目标综述。" in version.html
    assert SecurityEvent.objects.filter(kind="publish", user=admin).exists()
    assert {d["code"] for d in version.datasets} == {"goals", "revenue-by-area-segment"}


def test_a_step_out_of_order_is_refused(city, personas):
    report = report_create(actor=personas["admin"], year=YEAR, edition="internal")
    with pytest.raises(ValidationError):
        report_transition(actor=personas["admin"], report=report, action="publish")
    with pytest.raises(ValidationError):
        report_transition(actor=personas["admin"], report=report, action="fly")


def test_published_content_is_immutable_and_a_correction_is_a_new_version(city, personas):
    admin = personas["admin"]
    report = report_create(actor=admin, year=YEAR, edition="public")
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=admin, report=report, action=action)
    with pytest.raises(ValidationError):
        report_edit(actor=admin, report=report, key="summary.scale", text="改动")
    with pytest.raises(ValidationError):
        report_regenerate(actor=admin, report=report)
    version = report.versions.get()
    version.html = "tampered"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        ReportVersion.objects.get(pk=version.pk).delete()
    with pytest.raises(ImmutableError):
        ReportEvent.objects.filter(report=report).first().delete()
    # Reopen, correct, publish again: version 2 beside an untouched version 1.
    report = report_transition(actor=admin, report=report, action="reopen")
    report = report_edit(actor=admin, report=report, key="summary.scale", text="更正后的总体情况。")
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=admin, report=report, action=action)
    first, second = report.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert "更正后的总体情况。" in second.html and "更正后的总体情况。" not in first.html
    # The suppression pattern of release 1 is carried into release 2.
    assert set(map(tuple, first.suppression)) <= set(map(tuple, second.suppression))


def test_edits_are_kept_through_regeneration_and_removed_when_blank(city, personas):
    admin = personas["admin"]
    report = report_create(actor=admin, year=YEAR, edition="internal")
    report = report_edit(actor=admin, report=report, key="summary.scale", text="人工改写。")
    report = report_regenerate(actor=admin, report=report)
    assert report.edits == {"summary.scale": "人工改写。"}
    paragraph = next(
        p for p in current_document(report).sections[0].blocks if getattr(p, "key", "") == "summary.scale"
    )
    assert paragraph.rendered_text == "人工改写。" and "全市半导体产业规模达" in paragraph.generated_text
    report = report_edit(actor=admin, report=report, key="summary.scale", text="  ")
    assert report.edits == {}
    with pytest.raises(ValidationError):
        report_edit(actor=admin, report=report, key="no.such.key", text="x")


@pytest.mark.parametrize("fmt,magic", [("docx", b"PK"), ("pdf", b"%PDF-"), ("html", b"<")])
def test_cli_writes_each_format(city, tmp_path, fmt, magic):
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command(
        "report",
        "annual",
        "--year",
        str(YEAR),
        "--edition",
        "public",
        "--format",
        fmt,
        "-o",
        str(out),
        stdout=stdout,
    )
    assert out.read_bytes().startswith(magic)
    assert "public" in stdout.getvalue()


def test_the_cli_keeps_hidden_every_cell_the_published_public_edition_hid(
    city, personas, tmp_path, monkeypatch
):
    admin = personas["admin"]
    report = report_create(actor=admin, year=YEAR, edition="public")
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=admin, report=report, action=action)
    hidden = ReportVersion.objects.get(report=report).suppression
    assert hidden  # the small city has cells that must be suppressed

    from semicluster.reports.management.commands import report as command

    seen: dict[str, object] = {}
    real = command.build_annual_report

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(command, "build_annual_report", spy)
    call_command(
        "report", "annual", "--year", str(YEAR), "--edition", "public", "--format", "html",
        "-o", str(tmp_path / "r.html"), stdout=io.StringIO(),
    )  # fmt: skip
    assert seen["carried"] == hidden
