"""Demo layer of the annual monitoring report: the plan year's report in both editions.

The public edition is walked through review and approval to publication, so the public portal, its
downloads and the open data have something to show; the internal edition waits in review, so the
workflow page shows a report mid-way. Both are built from the demo data like any real report.
"""

from __future__ import annotations

from semicluster.core.demo import OFFICE_USER, DemoContext, office_user
from semicluster.reports import services
from semicluster.reports.models import AnnualReport, ReportEvent, ReportVersion

ORDER = 95  # after every layer the report reads from (and after the log-ins)


def generate(ctx: DemoContext) -> None:
    office = office_user()
    internal = services.report_create(actor=office, year=ctx.year, edition="internal")
    services.report_transition(actor=office, report=internal, action="submit", note="示例：提交审核")
    public = services.report_create(actor=office, year=ctx.year, edition="public")
    for action, note in (
        ("submit", "示例：提交审核"),
        ("approve", "示例：审核通过"),
        ("publish", "示例：向社会公示"),
    ):
        public = services.report_transition(actor=office, report=public, action=action, note=note)
    ctx.say(f"  annual report {ctx.year}: internal edition in review, public edition published")


def reset() -> None:
    # Published versions and audit events refuse deletion one by one (they are immutable by design);
    # the demo's own reports go as a whole, and only those.
    demo = AnnualReport.objects.filter(created_by__username=OFFICE_USER)
    ReportEvent.objects.filter(report__in=demo).delete()
    ReportVersion.objects.filter(report__in=demo).delete()
    demo.delete()
