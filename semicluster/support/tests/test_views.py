"""Pages: the application form with attachments, the explained award, role-specific forms, scoping
(404 for another scope), exports with formula injection neutralised, the ledger and the panel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from semicluster.core.testing import make_enterprise, make_user
from semicluster.support import services
from semicluster.support.models import Application, Status
from semicluster.support.tests.conftest import MPW, cost

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_post(**overrides):
    data = {
        "program": "kunshan-2025-full-mask",
        "product": "DDIC-Z9",
        "product_field": "display-driver",
        "foundry": "示例代工厂",
        "foundry_location": "domestic",
        "process_node_nm": "40",
        "mask": "full_mask",
        "wafer_size_mm": "300",
        "wafer_count": "12",
        "tapeout_date": "2025-02-20",
        "first_tapeout": "on",
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "1",
        "costs-MAX_NUM_FORMS": "50",
        "costs-0-item": "mask",
        "costs-0-amount": "1200000.00",
        "costs-0-invoice_code": "3200251130",
        "costs-0-invoice_number": "00012345",
        "costs-0-contract_ref": "HT-9",
    }
    data.update(overrides)
    return data


def test_an_enterprise_user_applies_with_an_attachment_and_submits(client, firm_user, window_open):
    client.force_login(firm_user)
    assert client.get(reverse("support:create")).status_code == 200
    data = form_post(attachments=[SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")])
    response = client.post(reverse("support:create"), data)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "support:detail", args=[application.pk]
    )
    assert application.enterprise == firm_user.enterprise and application.status == Status.DRAFT
    assert application.costs.get().amount == Decimal("1200000.00")
    attachment = application.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.name == "合同.pdf"
    download = client.get(reverse("support:attachment", args=[application.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    client.post(reverse("support:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_form_refuses_a_renamed_file_and_names_it(client, firm_user):
    client.force_login(firm_user)
    fake = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    client.post(reverse("support:create"), form_post(attachments=[fake]), follow=True)
    application = Application.objects.get()
    assert not application.attachments.exists()


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, True),
        ("photo.JPEG", b"\xff\xd8\xff\xe0" + b"0" * 100, True),
        ("contract.pdf", PDF, True),
        ("scan.jpg", b"\x89PNG\r\n\x1a\n" + b"0" * 100, False),  # PNG content under a JPEG name
        ("invoice.pdf", b"<html><script>alert(1)</script>", False),  # HTML renamed to .pdf
        ("tool.exe", b"MZ\x90\x00", False),
        ("empty.pdf", b"", False),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), False),  # above the 10 MB limit
    ],
)
def test_attachments_are_checked_by_content_and_size(flow, firm_user, name, data, accepted):
    from django.core.exceptions import ValidationError

    application = flow.create(firm_user)
    if accepted:
        services.attachment_add(actor=firm_user, application=application, name=name, data=data)
        assert application.attachments.count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            services.attachment_add(actor=firm_user, application=application, name=name, data=data)
        assert name in refused.value.message_dict["file"][0]
        assert not application.attachments.exists()


def test_another_firms_application_is_a_404_for_an_enterprise_user(client, flow, firm_user, other_firm_user):
    application = flow.create(firm_user)
    attachment = services.attachment_add(actor=firm_user, application=application, name="a.pdf", data=PDF)
    client.force_login(other_firm_user)
    for url in (
        reverse("support:detail", args=[application.pk]),
        reverse("support:edit", args=[application.pk]),
        reverse("support:attachment", args=[application.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("support:submit", args=[application.pk])).status_code == 404
    assert application.number not in client.get(reverse("support:list")).content.decode()


def test_another_areas_application_is_a_404_for_a_district_officer(client, flow, firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))  # a kfq firm
    client.force_login(personas["gxq_officer"])
    assert client.get(reverse("support:detail", args=[application.pk])).status_code == 404
    assert (
        client.post(reverse("support:pre_review", args=[application.pk]), {"passed": "1"}).status_code == 404
    )
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("support:detail", args=[application.pk])).content.decode()
    assert 'data-testid="review-form"' in html
    client.post(reverse("support:pre_review", args=[application.pk]), {"passed": "1", "reason": "材料齐全"})
    application.refresh_from_db()
    assert application.status == Status.PRE_REVIEWED


def test_a_role_without_the_step_gets_a_403_on_its_own_scope(client, flow, firm_user):
    application = flow.submit(firm_user, flow.create(firm_user))
    client.force_login(firm_user)
    response = client.post(
        reverse("support:decide", args=[application.pk]), {"outcome": "approve", "reason": "x"}
    )
    assert response.status_code == 403


def test_the_application_page_explains_the_award_step_by_step(client, flow, firm_user, personas):
    application = flow.to_reviewed(
        flow.submit(
            firm_user, flow.create(firm_user, product_field="display-driver", costs=[cost("2000000")])
        )
    )
    client.force_login(personas["admin"])
    html = client.get(
        reverse("support:detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    for step in (
        "eligibility",
        "eligible_cost",
        "rule",
        "rate",
        "cap_per_firm_program_year",
        "budget",
        "final",
    ):
        assert f'data-step="{step}"' in html
    assert "2,000,000.00 元 × 50%" in html  # priority field: 50 % of the eligible cost
    assert "奖励核定过程" in html and "流片情况" in html  # the page itself speaks Chinese
    english = client.get(
        reverse("support:detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Award computation, step by step" in english and "2,000,000.00 yuan × 50%" in english
    assert "1,000,000.00 元" in html
    assert 'data-testid="decide-form"' in html and 'data-testid="override-form"' in html


def _decided_with_named_costs(flow, firm_user, personas, *, decided_at: dt.datetime) -> Application:
    costs = [cost("2000000"), cost("50000", item="other", description="差旅")]
    application = flow.to_reviewed(
        flow.submit(firm_user, flow.create(firm_user, product_field="display-driver", costs=costs))
    )
    return services.application_decide(
        actor=personas["admin"], application=application, outcome="approve", reason="同意", at=decided_at
    )


def _visible_text(html: str) -> str:
    """The page without its tags and attributes (a code kept as a tooltip is not shown text)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_the_application_page_names_cost_items_and_chain_nodes_instead_of_their_codes(
    client, flow, firm_user, personas
):
    application = _decided_with_named_costs(
        flow, firm_user, personas, decided_at=dt.datetime(2025, 5, 16, 2, 0, tzinfo=dt.UTC)
    )
    client.force_login(personas["admin"])
    url = reverse("support:detail", args=[application.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    costs = html[html.index('data-testid="costs"') : html.index('data-testid="attachments"')]
    assert "掩膜版制作费" in costs and "其他费用" in costs and "不计入" in costs
    assert 'title="mask"' in costs  # the code stays as a tooltip
    assert "显示驱动芯片设计" in html  # the firm's chain node, in the eligibility step
    assert "不计入：其他费用 50,000.00 元" in html
    assert "显示驱动芯片" in html[html.index('data-testid="product-field"') :]
    shown = _visible_text(html)
    for code in ("display-driver-ic", "display-driver", "mask", "other"):
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", shown), code
    english = _visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Mask-set fee" in english and "Display driver IC design" in english
    assert "not counted: other costs 50,000.00" in english


def test_the_decision_time_is_shown_in_local_time(client, flow, firm_user, personas):
    application = _decided_with_named_costs(
        flow, firm_user, personas, decided_at=dt.datetime(2025, 5, 16, 2, 0, tzinfo=dt.UTC)
    )
    assert application.computation["computed_at"].startswith("2025-05-16T02:00")  # stored in UTC
    client.force_login(personas["admin"])
    html = client.get(reverse("support:detail", args=[application.pk])).content.decode()
    assert "决定时核定，2025-05-16 10:00。" in html  # Asia/Shanghai
    assert "2025-05-16T" not in html


def test_an_over_budget_application_is_flagged_on_the_page_before_approval(client, flow, personas):
    users = [
        make_user("enterprise_user", enterprise=make_enterprise(area="kfq", node="iot-asic"))
        for _ in range(4)
    ]
    for user in users[:3]:
        flow.submitted_and_approved(user, program=MPW, mask="mpw", costs=[cost("6000000", item="mpw-fee")])
    last = flow.to_reviewed(
        flow.submit(
            users[3], flow.create(users[3], program=MPW, mask="mpw", costs=[cost("6000000", item="mpw-fee")])
        )
    )
    client.force_login(personas["admin"])
    url = reverse("support:detail", args=[last.pk])
    assert 'data-testid="over-budget"' in client.get(url).content.decode()
    client.post(reverse("support:decide", args=[last.pk]), {"outcome": "approve", "reason": "同意"})
    last.refresh_from_db()
    assert last.status == Status.REVIEWED  # not approved without confirming the flag
    client.post(
        reverse("support:decide", args=[last.pk]),
        {"outcome": "approve", "reason": "同意", "confirm_over_budget": "on"},
    )
    last.refresh_from_db()
    assert last.status == Status.APPROVED and last.award_amount == Decimal("1000000.00")


def test_a_refused_duplicate_points_to_the_earlier_application_in_the_step_log(
    client, flow, firm_user, window_open
):
    first = flow.submit(firm_user, flow.create(firm_user))
    second = flow.create(firm_user, costs=[cost("10")])
    client.force_login(firm_user)
    page = client.post(reverse("support:submit", args=[second.pk]), follow=True).content.decode()
    assert first.number in page
    assert f'href="{reverse("support:detail", args=[first.pk])}" data-testid="earlier"' in page


def test_the_list_filters_by_status_program_and_area(client, flow, firm_user, other_firm_user, personas):
    kfq = flow.submit(firm_user, flow.create(firm_user))
    gxq = flow.create(
        other_firm_user, program=MPW, mask="mpw", product="MEMS-1", costs=[cost("5000", item="mpw-fee")]
    )
    client.force_login(personas["admin"])

    def shown(params):
        html = client.get(reverse("support:list"), params).content.decode()
        return {a.number for a in (kfq, gxq) if a.number in html}

    assert shown({}) == {kfq.number, gxq.number}
    assert shown({"status": "submitted"}) == {kfq.number}
    assert shown({"program": MPW}) == {gxq.number}
    assert shown({"area": "gxq"}) == {gxq.number}


def test_the_list_page_query_count_does_not_grow_with_rows(
    client, flow, personas, django_assert_max_num_queries
):
    for index in range(15):
        user = make_user("enterprise_user", enterprise=make_enterprise(area="kfq", node="iot-asic"))
        flow.create(user, product=f"P{index}")
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("support:list"))
    assert response.status_code == 200 and response.content.decode().count('data-status="draft"') >= 15


def test_exports_neutralise_formula_injection(client, flow, firm_user, personas):
    flow.create(firm_user, product='=HYPERLINK("http://evil")', foundry="+cmd|' /C calc'!A0")
    client.force_login(personas["admin"])
    response = client.get(reverse("support:list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][7].startswith("'=") and rows[1][8].startswith("'+")
    response = client.get(reverse("support:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["H2"].value.startswith("'=") and sheet["I2"].data_type == "s"


def test_the_ledger_page_is_for_government_users(client, flow, firm_user, personas):
    flow.submitted_and_approved(firm_user, costs=[cost("1000000")])
    client.force_login(firm_user)
    assert client.get(reverse("support:ledger")).status_code == 403
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("support:ledger"), {"program": "kunshan-2025-full-mask"}).content.decode()
    assert "30,000,000.00 元" in html and "300,000.00 元" in html and "29,700,000.00 元" in html
    assert 'data-testid="ledger-entries"' in html


def test_the_enterprise_page_shows_the_firms_applications_and_awards(client, flow, firm_user, personas):
    application = flow.submitted_and_approved(firm_user, costs=[cost("1000000")])
    client.force_login(personas["admin"])
    html = client.get(reverse("enterprises:detail", args=[firm_user.enterprise.pk])).content.decode()
    assert 'data-testid="support-panel"' in html and application.number in html and "300,000.00 元" in html


def test_a_returned_application_is_corrected_in_the_form_and_resubmitted(client, flow, firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))
    services.application_pre_review(
        actor=personas["kfq_officer"], application=application, passed=False, reason="合同编号有误"
    )
    client.force_login(firm_user)
    page = client.get(reverse("support:edit", args=[application.pk])).content.decode()
    assert 'value="HT-2025-001"' in page  # the cost lines come back for correction
    data = form_post(
        product="DDIC-A1",
        product_field="",
        **{"costs-0-contract_ref": "HT-2025-777", "costs-0-invoice_number": "77770001"},
    )
    assert client.post(reverse("support:edit", args=[application.pk]), data).status_code == 302
    client.post(reverse("support:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.costs.get().contract_ref == "HT-2025-777"
    assert list(application.steps.values_list("action", flat=True))[-2:] == ["edited", "resubmitted"]
