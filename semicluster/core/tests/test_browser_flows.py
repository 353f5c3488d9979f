"""Real-browser walks through the platform's main flows, in Debian's Chromium against a live server.

Each test drives the real forms as a person would (fill, choose, click, wait for the next page) and
saves a screenshot of every key screen to test-artifacts/ (``flow-*.png``). The browser fixtures come
from test_browser: skipped with a clear message where no Chromium exists, failing under CI=true.

Three tests pin defects first met here (a chart's target line off its axis, a report filed after its
month not counting as an update, an empty cost row blocking a draft); they now guard the fixes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.core.demo import DemoContext, generate_demo
from semicluster.core.testing import KUNSHAN_PLAN, add_value, make_enterprise, make_user
from semicluster.core.tests.test_browser import browser, log_in, page, shot  # noqa: F401
from semicluster.enterprises.models import Enterprise, PeriodValue
from semicluster.plans.models import Area, PlanVersion
from semicluster.plans.services import plan_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def build_demo(version: PlanVersion) -> None:
    """The small demo data set: every app's demo, indicators refreshed (about 60 firms)."""
    generate_demo(DemoContext(seed=1, scale="sample", plan_version=version, out=io.StringIO()))


def log_out(page: Any) -> None:  # noqa: F811
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def watch(page: Any) -> list[str]:  # noqa: F811
    """What went wrong while the page browsed, filled in as it goes: every 4xx/5xx answer ("status URL";
    the console only says "Failed to load resource") and every console error with where it came from.

    /favicon.ico is left out: the public portal's base template links no icon, so Chromium asks for
    /favicon.ico and gets a 404 (reported to the portal's owner; cosmetic)."""
    problems: list[str] = []

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def on_console(message: Any) -> None:
        where = str(message.location.get("url", ""))
        if message.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"console error: {message.text} ({where})")

    page.on("response", on_response)
    page.on("console", on_console)
    return problems


def body_text(page: Any) -> str:  # noqa: F811
    return str(page.locator("body").inner_text())


# --- 1. the leaders' cockpit -------------------------------------------------------------------------


def test_the_cockpit_draws_every_goal_with_its_charts_from_the_demo_data(
    page,  # noqa: F811
    live_server,
    kunshan_plan,
):
    problems = watch(page)
    build_demo(kunshan_plan)
    make_user(Role.LEADER, username="flow-leader")
    log_in(page, live_server, "flow-leader")
    page.goto(f"{live_server.url}/monitoring/")
    page.wait_for_selector("[data-testid=cockpit-period]")
    # Every chart placeholder is drawn (charts.js marks it) into a canvas.
    placeholders = page.locator("[data-chart]").count()
    assert placeholders >= 1 + kunshan_plan.goals.count()  # the progress chart + a trend per goal
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart-ready=true]').length === n", arg=placeholders
    )
    assert page.locator("[data-chart] canvas").count() >= placeholders
    goals = list(kunshan_plan.goals.order_by("sort"))
    cards = page.locator("section.kpi-card")
    assert cards.count() == len(goals)
    for goal in goals:
        card = page.locator(f"[data-testid='goal-{goal.code}']")
        assert card.is_visible()
        assert goal.display_name in card.locator("h2").inner_text()
    # Every card of a goal with data shows a value linked to its drill-down.
    assert page.locator("[data-testid=drill-city]").count() >= 1
    shot(page, "flow-cockpit")
    page.locator("[data-testid=drill-city]").first.click()
    page.wait_for_url(re.compile(r"/monitoring/[\w-]+/\d{4}-\d{2}/city/"))
    shot(page, "flow-cockpit-drilldown")
    assert not problems, problems


TARGET_LINE_HIDDEN = """() => Array.from(document.querySelectorAll("[data-chart$='-trend']")).flatMap(el => {
  const chart = echarts.getInstanceByDom(el);
  const line = chart.getOption().series[0].markLine;
  if (!line || !line.data.length) { return [el.dataset.chart + ": no target line"]; }
  const target = line.data[0].yAxis;
  const point = chart.convertToPixel({gridIndex: 0}, [0, target]);
  const shown = chart.containPixel({gridIndex: 0}, point);
  return shown ? [] : [el.dataset.chart + ": target " + target + " off the axis"];
})"""


def test_each_goal_trend_chart_shows_its_target_line(page, live_server, kunshan_plan):  # noqa: F811
    from semicluster.monitoring.services import indicators_refresh

    firm = make_enterprise(area="kfq")
    add_value(firm, "revenue", 2024, 900_000_000)
    for month, ytd in ((1, 80_000_000), (2, 150_000_000), (3, 240_000_000)):
        add_value(firm, "revenue", 2025, ytd, month=month)
    indicators_refresh()
    make_user(Role.LEADER, username="flow-leader-t")
    log_in(page, live_server, "flow-leader-t")
    page.goto(f"{live_server.url}/monitoring/")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-chart]').length > 0 && "
        "document.querySelectorAll('[data-chart]:not([data-chart-ready=true])').length === 0"
    )
    assert page.locator("[data-chart$='-trend']").count() == kunshan_plan.goals.count()
    assert page.evaluate(TARGET_LINE_HIDDEN) == []


# --- 2. a Chinese workbook through preview and commit -------------------------------------------------


def chinese_workbook(firms: list[Enterprise]) -> bytes:
    """A 月报 as districts send it: a title row, the unit in a note row (万元), a merged two-row header,
    full-width digits, and a 合计 row at the bottom."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "6月月报"
    rows: list[list[object]] = [
        ["2025年1-6月重点半导体企业主要经济指标"],
        ["单位：万元"],
        ["序号", "企业", "", "指标", "统计期", "本期累计"],
        ["", "统一社会信用代码", "企业名称", "", "", ""],
    ]
    first, second = firms
    rows += [
        [1, first.credit_code, first.name, "营业收入", "2025年5月", "1,000".translate(FULLWIDTH)],
        [2, first.credit_code, first.name, "营业收入", "2025年6月", "1,234.5".translate(FULLWIDTH)],
        [3, second.credit_code, second.name, "营业收入", "2025-06", "５６"],
        ["合计", "", "", "", "", "2290.5"],
    ]
    for row in rows:
        ws.append(row)
    for merged in ("A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:F4"):
        ws.merge_cells(merged)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_chinese_workbook_goes_through_preview_and_commit_onto_the_enterprise_page(
    page,  # noqa: F811
    live_server,
    kunshan_plan,
):
    problems = watch(page)
    kfq = Area.objects.get(code="kfq")
    firms = [
        make_enterprise(area=kfq, name="昆山浏览器测试半导体有限公司（测试）"),
        make_enterprise(area=kfq, name="昆山浏览器测试微电子有限公司（测试）"),
    ]
    make_user(Role.DISTRICT_OFFICER, username="flow-kfq", area=kfq)
    log_in(page, live_server, "flow-kfq")
    page.goto(f"{live_server.url}/intake/")
    page.select_option("#id_dataset", "period_values")
    page.set_input_files(
        "#id_file",
        files=[{"name": "2025年6月月报.xlsx", "mimeType": XLSX, "buffer": chinese_workbook(firms)}],
    )
    shot(page, "flow-intake-upload")
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/intake/batches/\d+/$"))

    # The preview: three values to create, the 合计 row skipped, nothing written yet.
    counts = page.locator("[data-testid=counts] .h5").all_inner_texts()
    assert counts == ["3", "3", "0", "0", "0", "1"], counts
    assert page.locator("[data-testid=errors]").count() == 0
    creates = page.locator("[data-testid=creates]").inner_text()
    assert firms[0].name in creates and "营业收入 2025年6月" in creates
    assert "合计" in page.locator("[data-testid=skipped]").inner_text()
    assert not PeriodValue.objects.filter(enterprise__in=firms).exists()
    shot(page, "flow-intake-preview")

    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=revert]")
    assert page.locator("[data-testid=commit]").count() == 0
    shot(page, "flow-intake-committed")
    stored = {
        (v.enterprise_id, v.period): v.value
        for v in PeriodValue.objects.filter(enterprise__in=firms, measure="revenue")
    }
    assert stored == {
        (firms[0].pk, 5): Decimal("10000000.00"),
        (firms[0].pk, 6): Decimal("12345000.00"),
        (firms[1].pk, 6): Decimal("560000.00"),
    }

    # The enterprise page shows the committed year-to-date figures (万元) and the derived June.
    page.goto(f"{live_server.url}/enterprises/{firms[0].pk}/")
    monthly = page.locator("[data-testid=monthly-table]")
    monthly.wait_for()
    cells = monthly.locator("tbody tr").nth(0).locator("td.num").all_inner_texts()
    assert cells == ["1,000.00", "1,234.50"], cells
    derived = monthly.locator("tbody tr").nth(1).locator("td.num").all_inner_texts()
    assert derived == ["—", "234.50"], derived  # May has no April to subtract
    page.wait_for_selector("[data-chart-ready=true]")
    shot(page, "flow-intake-enterprise-page")
    assert not problems, problems


# --- 3. a project's light and its reasons --------------------------------------------------------------


def a_project_reported_for_june(page: Any, live_server: Any) -> str:  # noqa: F811
    """As the city admin: a new library project (100,000 万元, planned start March 2025, not started),
    then its June report through the progress form: 2,000 of a 20,000 万元 annual plan, that is 10 %
    done against a 50 % time schedule. Returns the project page's address (the page is on it)."""
    kfq = Area.objects.get(code="kfq")
    owner = make_enterprise(area=kfq, name="昆山浏览器测试晶圆有限公司（测试）")
    make_user(Role.CITY_ADMIN, username="flow-admin")
    log_in(page, live_server, "flow-admin")

    page.goto(f"{live_server.url}/projects/new/")
    form = page.locator("[data-testid=project-form]")
    form.locator("#id_name").fill("浏览器测试12英寸特色工艺产线项目")
    form.locator("#id_owner").select_option(str(owner.pk))
    form.locator("#id_area").select_option(str(kfq.pk))
    form.locator("#id_town").select_option(str(owner.town_id))
    form.locator("#id_node").select_option(str(owner.primary_node_id))
    form.locator("#id_category").select_option("new")
    form.locator("#id_source").select_option("investment_lead")
    form.locator("#id_stage").select_option("preparation")
    form.locator("#id_planned_start").fill("2025-03-01")
    form.locator("#id_total_investment_wan").fill("100000")
    form.locator("#id_annual_plan_wan").fill("20000")
    shot(page, "flow-project-new")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project_url = str(page.url)

    page.click(f"a[href$='{project_url.removeprefix(live_server.url)}progress/']")
    page.wait_for_url(re.compile(r"/progress/$"))
    page.fill("#id_year", "2025")
    page.fill("#id_month", "6")
    page.fill("#id_ytd_completed_wan", "2000")
    page.fill("#id_image_progress", "厂房桩基施工准备中")
    shot(page, "flow-project-progress")
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_url(project_url)
    return project_url


def test_a_project_behind_schedule_and_not_started_shows_a_red_light_with_its_reasons(
    page,  # noqa: F811
    live_server,
    kunshan_plan,
):
    problems = watch(page)
    a_project_reported_for_june(page, live_server)

    light = page.locator("[data-testid=project-light]")
    assert light.locator(".light").get_attribute("class") == "light light-red"
    reasons = light.locator(".light-reasons li").all_inner_texts()
    # The two red rules of the plan's risk_rules, worded as bulletins word them, with their clause.
    assert any("年度计划完成10.0%，落后序时进度40.0个百分点" in r and "二、2" in r for r in reasons), reasons
    assert any("连续4个月未按计划开工" in r and "二、2" in r for r in reasons), reasons
    measures = page.locator("[data-testid=measures]")
    assert measures.locator("[data-measure=ytd_completion_pct] td").inner_text() == "10.0%"
    assert measures.locator("[data-measure=schedule_pct] td").inner_text() == "50.0%"
    assert measures.locator("[data-measure=start_overdue_months] td").inner_text() == "4"
    page.wait_for_selector("[data-chart-ready=true]")
    reported = page.locator("[data-testid=progress]").inner_text()
    assert "2025-06" in reported and "2,000.00" in reported and "厂房桩基施工准备中" in reported
    shot(page, "flow-project-light")
    assert not problems, problems


def test_a_report_filed_after_its_month_counts_as_an_update(page, live_server, kunshan_plan):  # noqa: F811
    a_project_reported_for_june(page, live_server)
    light = page.locator("[data-testid=project-light]")
    days = page.locator("[data-testid=measures] [data-measure=days_since_update] td").inner_text()
    assert days != "—", "the June report just filed is not counted as an update"
    assert "尚未报送进度数据" not in light.inner_text()


# --- 4. a support application through its workflow ---------------------------------------------------


def plan_with_open_mpw_window(tmp_path: Path) -> PlanVersion:
    """The Kunshan plan with the MPW program's application window around today.

    The example window (2025-03-01 … 2025-11-30) is in the past on most days these tests run, and an
    application made outside it is rightly ineligible; the flow under test is the workflow, not the date.
    """
    text = KUNSHAN_PLAN.read_text(encoding="utf-8")
    old = "  application_window:\n    start: '2025-03-01'\n    end: '2025-11-30'\n"
    assert text.count(old) >= 1, "the MPW program's application window moved in the plan file"
    today = timezone.localdate()
    new = (
        "  application_window:\n"
        f"    start: '{today - dt.timedelta(days=30):%Y-%m-%d}'\n"
        f"    end: '{today + dt.timedelta(days=30):%Y-%m-%d}'\n"
    )
    path = tmp_path / KUNSHAN_PLAN.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan_load(path).version


# Three invoices of the MPW program's eligible cost items: 400,000 yuan, of which the rule grants 50 %.
COST_LINES = [
    ("mpw-fee", "200000.00", "87654321"),
    ("mask", "150000.00", "87654322"),
    ("wafer", "50000.00", "87654323"),
]


def fill_application(page: Any, cost_lines: list[tuple[str, str, str]]) -> Any:  # noqa: F811
    """The enterprise user's application form: an MPW tape-out at a domestic foundry, with its costs."""
    form = page.locator("[data-testid=application-form]")
    form.locator("#id_program").select_option("kunshan-2025-mpw")
    form.locator("#id_product").fill("DDIC-浏览器测试")
    form.locator("#id_foundry").fill("示例晶圆代工厂")
    form.locator("#id_foundry_location").select_option("domestic")
    form.locator("#id_process_node_nm").fill("28")
    form.locator("#id_mask").select_option("mpw")
    form.locator("#id_wafer_size_mm").select_option("300")
    form.locator("#id_wafer_count").fill("12")
    form.locator("#id_tapeout_date").fill("2025-06-15")
    for row, (item, amount, number) in enumerate(cost_lines):  # one line per invoice
        form.locator(f"#id_costs-{row}-item").select_option(item)
        form.locator(f"#id_costs-{row}-amount").fill(amount)
        form.locator(f"#id_costs-{row}-invoice_code").fill("3200251130")
        form.locator(f"#id_costs-{row}-invoice_number").fill(number)
        form.locator(f"#id_costs-{row}-contract_ref").fill("HT-2025-MPW-01")
    return form


def design_firm() -> Enterprise:
    return make_enterprise(
        area="kfq", node="display-driver-ic", name="昆山浏览器测试芯片设计有限公司（测试）"
    )


def test_a_support_application_goes_from_the_firm_through_both_reviews_to_an_explained_award(
    page,  # noqa: F811
    live_server,
    kunshan_plan,
    tmp_path,
):
    problems = watch(page)
    plan_with_open_mpw_window(tmp_path)
    firm = design_firm()
    make_user(Role.ENTERPRISE_USER, username="flow-firm", enterprise=firm)
    make_user(Role.DISTRICT_OFFICER, username="flow-officer", area=firm.area)
    make_user(Role.CITY_ADMIN, username="flow-office")

    # The enterprise user prepares and submits. All three cost rows the form offers are filled: see
    # test_a_single_cost_line_is_enough_to_save_a_draft for why.
    log_in(page, live_server, "flow-firm")
    page.goto(f"{live_server.url}/support/apply/")
    form = fill_application(page, COST_LINES)
    shot(page, "flow-support-apply")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/support/\d+/$"))
    detail_url = page.url
    assert page.locator("[data-testid=status]").get_attribute("data-status") == "draft"
    assert page.locator("[data-testid=costs] tbody tr").count() == len(COST_LINES)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=status][data-status=submitted]")
    shot(page, "flow-support-submitted")
    log_out(page)

    # The district officer of the firm's area passes it on.
    log_in(page, live_server, "flow-officer")
    page.goto(detail_url)
    review = page.locator("[data-testid=review-form]")
    review.locator("select[name=passed]").select_option("1")
    review.locator("textarea[name=reason]").fill("材料齐全，同意报市级审核")
    review.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=status][data-status=pre_reviewed]")
    shot(page, "flow-support-pre-reviewed")
    log_out(page)

    # The city office reviews, then decides with the computed award in front of it.
    log_in(page, live_server, "flow-office")
    page.goto(detail_url)
    review = page.locator("[data-testid=review-form]")
    review.locator("select[name=passed]").select_option("1")
    review.locator("textarea[name=reason]").fill("市级审核通过")
    review.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=status][data-status=reviewed]")
    assert page.locator("[data-testid=computed-amount]").inner_text().replace(",", "").startswith("200000")
    shot(page, "flow-support-reviewed")
    decide = page.locator("[data-testid=decide-form]")
    decide.locator("select[name=outcome]").select_option("approve")
    decide.locator("textarea[name=reason]").fill("符合MPW流片支持条件，按50%核定")
    decide.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=status][data-status=approved]")

    award = page.locator("[data-testid=award-explained]")
    assert award.locator("[data-testid=final-amount]").inner_text().replace(",", "").startswith("200000")
    steps = award.locator("[data-step]")
    assert steps.count() >= 4
    explained = award.inner_text()
    assert "400,000" in explained  # the eligible cost the rate applies to
    assert "50" in award.locator("dd").nth(1).inner_text()  # the rule matched, with its rate
    log = page.locator("[data-testid=step-log] tbody tr")
    actions = [log.nth(i).get_attribute("data-action") for i in range(log.count())]
    assert len(actions) >= 5, actions
    shot(page, "flow-support-approved")
    assert not problems, problems


def test_a_single_cost_line_is_enough_to_save_a_draft(page, live_server, kunshan_plan):  # noqa: F811
    firm = design_firm()
    make_user(Role.ENTERPRISE_USER, username="flow-firm-1", enterprise=firm)
    log_in(page, live_server, "flow-firm-1")
    page.goto(f"{live_server.url}/support/apply/")
    form = fill_application(page, COST_LINES[:1])
    with page.expect_navigation():  # to the draft's page, or back to the form with the errors
        form.locator("button[type=submit]").click()
    shot(page, "flow-support-one-cost-line")
    refusals = page.locator("[data-testid=application-form] .text-danger").all_inner_texts()
    assert re.search(r"/support/\d+/$", page.url), f"the draft was refused: {refusals}"


# --- 5. the public portal ----------------------------------------------------------------------------


def test_the_public_portal_shows_the_published_report_without_naming_any_enterprise(
    page,  # noqa: F811
    live_server,
    kunshan_plan,
):
    problems = watch(page)
    from semicluster.reports.models import ReportVersion

    build_demo(kunshan_plan)  # the demo publishes the public edition, as the office would
    assert ReportVersion.objects.filter(report__edition="public").exists()
    secrets = [text for firm in Enterprise.objects.all() for text in (firm.name, firm.credit_code) if text]
    assert len(secrets) > 50

    page.goto(f"{live_server.url}/public/")  # nobody is logged in
    goals = page.locator("[data-testid=headline-goals] tbody tr")
    goals.first.wait_for()
    assert goals.count() >= 1
    shot(page, "flow-portal-home")
    home = body_text(page)
    assert not [s for s in secrets if s in home]

    page.locator("[data-testid=published-reports] a").first.click()
    page.wait_for_url(re.compile(r"/public/reports/\d{4}/v\d+/$"))
    article = page.locator("[data-testid=public-report]")
    assert len(article.inner_text()) > 200
    shot(page, "flow-portal-report")
    assert not [s for s in secrets if s in body_text(page)]

    page.goto(f"{live_server.url}/public/data/")
    page.wait_for_load_state()
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart-ready=true]")
    shot(page, "flow-portal-data")
    assert not [s for s in secrets if s in body_text(page)]
    assert not problems, problems
