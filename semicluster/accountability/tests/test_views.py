from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook

from semicluster.accountability import services
from semicluster.accountability.models import (
    Bulletin,
    Decision,
    Escalation,
    Meeting,
    ProgressUpdate,
    WorkItem,
)
from semicluster.plans.models import Unit

pytestmark = pytest.mark.django_db


def test_a_unit_officer_lists_only_the_items_its_unit_leads_or_supports(client, items, swj_officer):
    client.force_login(swj_officer)
    html = client.get(reverse("accountability:items")).content.decode()
    assert "编制产业链招商图谱" in html  # swj leads
    assert "培育壮大龙头企业" in html  # swj supports (co-unit)
    assert "构建金融支撑体系" not in html  # jrj's, swj not involved


def test_another_units_item_is_a_404_in_the_ui_and_the_api(client, items, swj_officer):
    other = items["finance-support"]  # lead jrj, co-units czj and gzw
    client.force_login(swj_officer)
    assert client.get(reverse("accountability:item", args=[other.pk])).status_code == 404
    assert client.post(reverse("accountability:report", args=[other.pk]), {"text": "x"}).status_code == 404
    assert client.get(f"/api/tasks/items/{other.pk}").status_code == 404
    response = client.post(
        f"/api/tasks/items/{other.pk}/updates", json.dumps({"text": "x", "percent": 5}), "application/json"
    )
    assert response.status_code == 404
    assert not ProgressUpdate.objects.filter(work_item=other).exists()


def test_a_co_unit_may_read_an_item_but_gets_a_403_when_reporting(client, items, swj_officer):
    item = items["leading-enterprises"]
    client.force_login(swj_officer)
    assert client.get(reverse("accountability:item", args=[item.pk])).status_code == 200
    response = client.post(
        f"/api/tasks/items/{item.pk}/updates", json.dumps({"text": "x", "percent": 5}), "application/json"
    )
    assert response.status_code == 403


def test_an_enterprise_user_has_no_access_to_tasks(client, items, personas):
    client.force_login(personas["enterprise_user"])
    assert client.get(reverse("accountability:items")).status_code == 403
    assert client.get("/api/tasks/items").status_code == 403


def test_a_unit_officer_reports_progress_with_evidence_through_the_form(client, items, swj_officer):
    item = items["investment-map"]
    client.force_login(swj_officer)
    page = client.get(reverse("accountability:item", args=[item.pk]))
    assert 'data-testid="progress-form"' in page.content.decode()
    response = client.post(
        reverse("accountability:report", args=[item.pk]),
        {
            "period_key": "2025-06",
            "text": "图谱初稿完成",
            "percent": "40",
            "milestones_reached": [item.milestones.get().pk],
            "problems": "需要商务部门数据支持",
            "evidence": SimpleUploadedFile(
                "scan.pdf", b"%PDF-1.7\n1 0 obj\n", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(work_item=item)
    assert (update.unit.code, update.period_key, update.percent) == ("swj", "2025-06", Decimal("40.00"))
    assert update.author == swj_officer and update.evidence and update.problems == "需要商务部门数据支持"


def test_a_leader_reads_everything_but_sees_no_report_form(client, items, personas):
    client.force_login(personas["leader"])
    page = client.get(reverse("accountability:item", args=[items["finance-support"].pk])).content.decode()
    assert "构建金融支撑体系" in page and 'data-testid="progress-form"' not in page
    assert (
        client.post(reverse("accountability:report", args=[items["finance-support"].pk]), {}).status_code
        == 403
    )


def test_a_district_officer_reads_the_task_list(client, items, personas):
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("accountability:items")).content.decode()
    assert "构建金融支撑体系" in html and "编制产业链招商图谱" in html


def test_the_item_list_shows_the_computed_status_as_of_a_date(client, items, personas):
    client.force_login(personas["admin"])
    html = client.get(
        reverse("accountability:items"), {"as_of": "2025-05-01", "q": "investment-map"}
    ).content.decode()
    assert 'data-status="late"' in html and "2025-04-30" in html


def test_the_item_list_query_count_does_not_grow_with_items_and_reports(
    client, items, personas, django_assert_max_num_queries
):
    admin = personas["admin"]
    for item in list(items.values())[:8]:
        for month in (3, 4, 5):
            services.progress_report(
                actor=admin,
                item=item,
                text="进展",
                percent=Decimal(month * 10),
                reported_on=date(2025, month, 3),
            )
    client.force_login(admin)
    # 8 measured with 14 items and 24 reports: session, user, plan, items and four prefetches.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("accountability:items"), {"as_of": "2025-06-01"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/tasks/items", {"as_of": "2025-06-01"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("accountability:silent"), {"as_of": "2025-06-01"}).status_code == 200


def test_the_api_lists_items_with_their_status_and_reason(client, items, personas):
    client.force_login(personas["admin"])
    rows = client.get("/api/tasks/items", {"as_of": "2025-05-01"}).json()
    row = next(r for r in rows if r["code"] == "investment-map")
    assert row["status"]["status"] == "late" and row["status"]["days_overdue"] == 1
    assert "2025-04-30" in row["status"]["reason_en"] and row["lead_unit"] == "swj"


def test_the_api_accepts_a_progress_report_from_the_lead_unit(client, items, swj_officer):
    item = items["investment-map"]
    client.force_login(swj_officer)
    response = client.post(
        f"/api/tasks/items/{item.pk}/updates",
        json.dumps({"text": "发布", "milestones_reached": ["m1"], "percent": "80"}),
        "application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["milestones_reached"] == ["m1"] and response.json()["unit"] == "swj"
    bad = client.post(
        f"/api/tasks/items/{item.pk}/updates",
        json.dumps({"text": "x", "milestones_reached": ["m9"]}),
        "application/json",
    )
    assert bad.status_code == 422


def test_the_office_escalates_and_the_unit_replies_in_the_ui(
    client, kunshan_plan, items, personas, swj_officer
):
    client.force_login(personas["admin"])
    response = client.post(reverse("accountability:escalate") + "?as_of=2025-02-09")
    assert response.status_code == 302
    escalation = Escalation.objects.get(unit__code="swj", period_key="2025-01")
    client.force_login(swj_officer)
    page = client.get(reverse("accountability:silent"), {"as_of": "2025-02-09"}).content.decode()
    assert "督办" in page and f'action="{reverse("accountability:reply", args=[escalation.pk])}"' in page
    client.post(reverse("accountability:reply", args=[escalation.pk]), {"reply": "已补报"})
    escalation.refresh_from_db()
    assert escalation.reply == "已补报"
    other = type(escalation).objects.exclude(unit__code="swj").first()
    assert client.post(reverse("accountability:reply", args=[other.pk]), {"reply": "x"}).status_code == 404
    assert client.get("/api/tasks/escalations").json()[0]["unit"] == "swj"
    assert len(client.get("/api/tasks/escalations").json()) == 1


def test_a_meeting_decision_becomes_a_work_item_in_one_action(client, kunshan_plan, items, personas):
    admin = personas["admin"]
    meeting = services.meeting_record(
        actor=admin,
        version=kunshan_plan,
        date=date(2025, 3, 15),
        title="领导小组第一次会议",
        attendees="市领导、各成员单位",
        topics="审议年度工作要点",
        decisions=[("市财政局牵头制定流片补贴细则", Unit.objects.get(code="czj"), date(2025, 6, 30))],
    )
    decision = Decision.objects.get(meeting=meeting)
    client.force_login(admin)
    response = client.post(reverse("accountability:track", args=[decision.pk]))
    item = WorkItem.objects.get(decision=decision)
    assert response.status_code == 302 and response["Location"] == reverse(
        "accountability:item", args=[item.pk]
    )
    assert (item.lead_unit.code, item.deadline, item.origin) == ("czj", date(2025, 6, 30), "meeting")
    client.post(reverse("accountability:track", args=[decision.pk]))
    assert WorkItem.objects.filter(origin="meeting").count() == 1
    page = client.get(reverse("accountability:meeting", args=[meeting.pk])).content.decode()
    assert item.code in page
    assert Meeting.objects.count() == 1


def test_the_office_drafts_edits_and_issues_a_bulletin_in_the_ui(client, kunshan_plan, items, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("accountability:bulletins"), {"period_key": "2025-06", "as_of": "2025-07-09"}
    )
    draft = Bulletin.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("accountability:bulletin", args=[draft.pk])).content.decode()
    assert "重点任务推进情况" in page
    client.post(
        reverse("accountability:bulletin", args=[draft.pk]), {"p-next": "请各单位对标对表，加快推进。"}
    )
    client.post(reverse("accountability:bulletin", args=[draft.pk]), {"issue": "1"})
    draft.refresh_from_db()
    assert draft.is_issued and draft.document is not None
    word = client.get(reverse("accountability:bulletin_download", args=[draft.pk, "docx"]))
    text = "\n".join(p.text for p in open_docx(io.BytesIO(word.content)).paragraphs)
    assert "请各单位对标对表，加快推进。" in text
    client.post(reverse("accountability:bulletin", args=[draft.pk]), {"p-next": "改动"})
    draft.refresh_from_db()
    assert draft.paragraphs.get(key="next").edited_text == "请各单位对标对表，加快推进。"


def test_drafts_are_hidden_from_readers_and_issued_bulletins_are_shown(client, kunshan_plan, items, personas):
    draft = services.bulletin_draft(
        actor=personas["admin"], version=kunshan_plan, period_key="2025-06", as_of=date(2025, 7, 9)
    )
    client.force_login(personas["leader"])
    assert client.get(reverse("accountability:bulletin", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/tasks/bulletins/{draft.pk}").status_code == 404
    services.bulletin_issue(actor=personas["admin"], bulletin=draft)
    assert client.get(reverse("accountability:bulletin", args=[draft.pk])).status_code == 200
    body = client.get(f"/api/tasks/bulletins/{draft.pk}").json()
    assert body["state"] == "issued" and body["data"]["period"] == "2025-06"


def test_the_assessment_page_and_export_are_for_the_office_and_leaders(client, items, personas):
    client.force_login(personas["leader"])
    page = client.get(reverse("accountability:assessment"), {"as_of": "2025-12-31"}).content.decode()
    assert "任务完成率" in page
    export = client.get(reverse("accountability:assessment_export"), {"as_of": "2025-12-31"})
    assert load_workbook(io.BytesIO(export.content)).sheetnames[0] == "单位考核"
    assert client.get("/api/tasks/assessment", {"as_of": "2025-12-31"}).json()[0]["subjects"] == "units"
    client.force_login(personas["unit_officer"])
    assert client.get(reverse("accountability:assessment")).status_code == 403
    assert client.get("/api/tasks/assessment").status_code == 403


def test_every_page_renders_in_english_and_chinese(client, items, personas):
    client.force_login(personas["admin"])
    pages = [
        reverse("accountability:items"),
        reverse("accountability:item", args=[items["monitoring"].pk]),
        reverse("accountability:decompose", args=[items["monitoring"].pk]),
        reverse("accountability:item_edit", args=[items["monitoring"].pk]),
        reverse("accountability:silent"),
        reverse("accountability:meetings"),
        reverse("accountability:bulletins"),
        reverse("accountability:assessment"),
    ]
    for language, word in (("en", "Work items"), ("zh-hans", "工作事项")):
        client.cookies["django_language"] = language
        for url in pages:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
        assert word in client.get(pages[0], HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_silent_units_page_shows_unit_names_and_item_titles_with_codes_only_as_secondary_text(
    client, kunshan_plan, items, personas
):
    client.force_login(personas["admin"])
    page = client.get(reverse("accountability:silent"), {"as_of": "2025-02-09"}).content.decode()
    table = page.split('data-testid="silent-table"')[1].split("</table>")[0]
    assert "<td>地方金融</td>" in table  # jrj's short name
    assert "<td>jrj</td>" not in table and "<td>swj</td>" not in table and "<td>市商务局</td>" in table
    assert '编制产业链招商图谱，开展精准招引 <code class="text-muted">investment-map</code>' in table
    assert "2025年1月" in table


def test_a_status_reason_is_shown_in_the_active_language_only(client, items, personas):
    client.force_login(personas["admin"])
    item = items["investment-map"]
    for language, shown, hidden in (("zh-hans", "已逾期", "days overdue"), ("en", "days overdue", "已逾期")):
        client.cookies["django_language"] = language
        detail = client.get(
            reverse("accountability:item", args=[item.pk]),
            {"as_of": "2025-05-01"},
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
        reason = detail.split('data-testid="status-reason">')[1].split("</span>")[0]
        assert shown in reason and hidden not in reason and " / " not in reason
        listing = client.get(
            reverse("accountability:items"), {"as_of": "2025-05-01", "q": "investment-map"}
        ).content.decode()
        assert shown in listing and hidden not in listing
