"""Synthetic tape-out support applications: every workflow state, refused duplicates, a 一事一议 case
and a budget partly used — all walked through the real services on dates inside the example 2025
windows, so the step log, the stored computations and the ledger are exactly what use would leave.

The actors are unsaved stand-ins named "（示例）": the demo log-ins are created later (accounts,
ORDER 90), so steps record the actor's name and role without a user link.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from semicluster.accounts.models import Role, User
from semicluster.core.demo import DemoContext, fast_delete
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area
from semicluster.support import services
from semicluster.support.examples import DESIGN_NODES, DEVICE_NODES, SENSOR_NODES
from semicluster.support.models import Application, Attachment, CostItem, LedgerEntry, Step
from semicluster.support.programs import programs_of

ORDER = 50

MPW = "kunshan-2025-mpw"
FULL_MASK = "kunshan-2025-full-mask"
SENSOR = "kunshan-2025-sensor-first-tapeout"
FOUNDRIES = [
    ("示例晶圆代工一厂（境内）", "domestic", False),
    ("示例特色工艺代工厂（境内）", "domestic", False),
    ("昆山示例晶圆厂", "domestic", True),
    ("示例海外代工厂（境外）", "overseas", False),
]
NODES = [Decimal(n) for n in ("180", "130", "90", "55", "40", "28", "22")]
# (program, status the story ends in); the order is the order of submission.
STORY = [
    (FULL_MASK, "disbursed"),
    (MPW, "disbursed"),
    (FULL_MASK, "disbursed"),
    (MPW, "disbursed"),
    (SENSOR, "disbursed"),
    (MPW, "approved"),
    (MPW, "approved"),
    (FULL_MASK, "override"),  # 一事一议, then approved
    (SENSOR, "approved"),
    (FULL_MASK, "rejected"),
    (MPW, "reviewed"),
    (FULL_MASK, "reviewed"),
    (SENSOR, "pre_reviewed"),
    (MPW, "pre_reviewed"),
    (FULL_MASK, "submitted"),
    (MPW, "submitted"),
    (SENSOR, "resubmitted"),  # returned at pre-review, corrected, submitted again
    (FULL_MASK, "returned"),  # returned at city review, waiting for the firm
    (MPW, "draft"),
    (FULL_MASK, "draft"),
]


def _stand_ins() -> dict[str, Any]:
    admin = User(username="demo-support-admin", first_name="领导小组办公室（示例）", role=Role.CITY_ADMIN)
    officers = {
        area.pk: User(
            username=f"demo-support-{area.code}",
            first_name=f"{area.name}经办人（示例）",
            role=Role.DISTRICT_OFFICER,
            area=area,
        )
        for area in Area.objects.all()
    }
    return {"admin": admin, "officers": officers}


def _applicant(firm: Enterprise) -> User:
    return User(
        username=f"demo-firm-{firm.pk}",
        first_name="企业填报员（示例）",
        role=Role.ENTERPRISE_USER,
        enterprise=firm,
    )


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Demo:
    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.actors = _stand_ins()
        self.invoice = 50_000_000 + rng.randint(0, 9_000_000)
        self.programs = programs_of(ctx.plan_version)

    def invoice_number(self) -> str:
        self.invoice += self.rng.randint(1, 97)
        return f"{self.invoice:08d}"

    def facts(self, program: str, firm: Enterprise, index: int) -> dict[str, Any]:
        rng = self.rng
        foundry, location, local = rng.choice(FOUNDRIES)
        sensor = program == SENSOR
        fields = self.programs[FULL_MASK].priority_field_codes if FULL_MASK in self.programs else frozenset()
        priority = sorted(fields)[index % len(fields)] if fields and rng.random() < 0.4 else ""
        return {
            "foundry": foundry,
            "foundry_location": location,
            "local_fab": local,
            "process_node_nm": rng.choice(NODES[:4] if sensor else NODES),
            "wafer_size_mm": rng.choice([200, 300]),
            "wafer_count": rng.randint(6, 50) if program != MPW else rng.randint(2, 12),
            "tapeout_date": dt.date(2024, 10, 15) + dt.timedelta(days=rng.randint(0, 300)),
            "product": f"{'SNS' if sensor else 'IC'}-{firm.pk:03d}{chr(65 + index % 26)}（示例）",
            "product_field": "" if program != FULL_MASK else priority,
            "mask": "mpw"
            if program == MPW
            else ("full_mask" if program == FULL_MASK else rng.choice(["mpw", "full_mask"])),
            "is_sensor": sensor,
            "first_tapeout": program != MPW or rng.random() < 0.5,
        }

    def costs(self, program: str) -> list[dict[str, Any]]:
        rng = self.rng
        if program == MPW:
            lines = [("mpw-fee", rng.randint(40, 260) * 10_000)]
        else:
            lines = [("mask", rng.randint(120, 900) * 10_000), ("wafer", rng.randint(30, 400) * 10_000)]
        if rng.random() < 0.3:
            lines.append(("other", rng.randint(2, 20) * 10_000))  # e.g. travel: shown, never counted
        return [
            {
                "item": item,
                "description": "" if item != "other" else "差旅及测试辅助费用（示例）",
                "amount": Decimal(amount),
                "invoice_code": "3200251130" if rng.random() < 0.5 else "",
                "invoice_number": self.invoice_number(),
                "contract_ref": f"HT-2025-{rng.randint(100, 999)}（示例）",
            }
            for item, amount in lines
        ]

    def create(self, program: str, firm: Enterprise, index: int, day: dt.date) -> Application:
        return services.application_create(
            actor=_applicant(firm),
            enterprise=firm,
            program_code=program,
            data=self.facts(program, firm, index),
            costs=self.costs(program),
            version=self.ctx.plan_version,
            source="demo",
            source_ref=f"demo-seed-{self.ctx.seed}",
            at=_moment(day, 9),
        )

    def play(self, application: Application, ending: str, day: dt.date) -> Application:
        firm = application.enterprise
        admin = self.actors["admin"]
        officer = self.actors["officers"][firm.area_id]
        step = dt.timedelta(days=self.rng.randint(4, 12))
        if ending == "draft":
            return application
        application = services.application_submit(
            actor=_applicant(firm), application=application, at=_moment(day)
        )
        day += step
        if ending == "resubmitted":
            application = services.application_pre_review(
                actor=officer,
                application=application,
                passed=False,
                reason="缺少流片合同及代工厂出具的流片证明，请补充（示例）",
                at=_moment(day),
            )
            day += step
            application = services.application_update(
                actor=_applicant(firm),
                application=application,
                data={"product": application.product.replace("（示例）", "-R（示例）")},
                at=_moment(day),
            )
            return services.application_submit(
                actor=_applicant(firm), application=application, at=_moment(day, 15)
            )
        if ending == "submitted":
            return application
        application = services.application_pre_review(
            actor=officer,
            application=application,
            passed=True,
            reason="材料齐全，同意上报（示例）",
            at=_moment(day),
        )
        day += step
        if ending == "pre_reviewed":
            return application
        if ending == "returned":
            return services.application_review(
                actor=admin,
                application=application,
                passed=False,
                reason="发票金额与合同金额不一致，请核对后重新提交（示例）",
                at=_moment(day),
            )
        application = services.application_review(
            actor=admin, application=application, passed=True, reason="审核通过（示例）", at=_moment(day)
        )
        day += step
        if ending == "reviewed":
            return application
        if ending == "rejected":
            return services.application_decide(
                actor=admin,
                application=application,
                outcome="reject",
                reason="该产品已于往年完成首次流片，不符合“首次”条件（示例）",
                at=_moment(day),
            )
        if ending == "override":
            computed = services.award_preview(application).computed_amount
            application = services.application_override(
                actor=admin,
                application=application,
                amount=(computed * Decimal("1.5")).quantize(Decimal("1")),
                reason="重大攻关产品，经领导小组会议一事一议（示例）",
                at=_moment(day),
            )
        application = services.application_decide(
            actor=admin,
            application=application,
            outcome="approve",
            reason="符合支持条件，按核定金额给予支持（示例）",
            confirm_over_budget=True,
            at=_moment(day, 11),
        )
        day += step
        if ending == "disbursed":
            application = services.application_disburse(
                actor=admin,
                application=application,
                paid_on=day,
                reference=f"昆财拨〔2025〕{self.rng.randint(10, 99)}号（示例）",
                at=_moment(day, 16),
            )
        return application

    def duplicate(self, of: Application, *, same_invoice: bool, day: dt.date) -> None:
        """A second claim that the submission refuses, leaving a logged refusal on a draft."""
        firm = of.enterprise
        costs = self.costs(of.program_code)
        data = {k: getattr(of, k) for k in services.APPLICATION_FIELDS}
        if same_invoice:
            earlier = of.costs.first()
            assert earlier is not None
            costs[0]["invoice_code"], costs[0]["invoice_number"] = (
                earlier.invoice_code,
                earlier.invoice_number,
            )
            data["product"] = of.product.replace("（示例）", "-B（示例）")
            data["tapeout_date"] = of.tapeout_date + dt.timedelta(days=30)
        copy = services.application_create(
            actor=_applicant(firm),
            enterprise=firm,
            program_code=of.program_code,
            data=data,
            costs=costs,
            version=self.ctx.plan_version,
            source="demo",
            source_ref=f"demo-seed-{self.ctx.seed}",
            at=_moment(day, 9),
        )
        try:
            services.application_submit(actor=_applicant(firm), application=copy, at=_moment(day))
        except services.DuplicateClaim:
            return
        raise AssertionError("the demo duplicate was not refused")  # pragma: no cover


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("support")
    demo = _Demo(ctx, rng)
    if not demo.programs:
        ctx.say("  support: the plan has no support programs")
        return
    firms = list(Enterprise.objects.select_related("primary_node", "area").order_by("id"))
    sensors = [f for f in firms if f.primary_node.code in SENSOR_NODES]
    designers = [f for f in firms if f.primary_node.code in set(DESIGN_NODES) | set(DEVICE_NODES)]
    if not designers:
        ctx.say("  support: no design firms to apply")
        return
    sensors = sensors or designers
    day = dt.date(2025, 3, 10)
    made: list[Application] = []
    for index, (program, ending) in enumerate(STORY):
        pool = sensors if program == SENSOR else designers
        firm = pool[index % len(pool)] if len(pool) < 4 else rng.choice(pool)
        application = demo.create(program, firm, index, day)
        try:
            made.append(demo.play(application, ending, day + dt.timedelta(days=2)))
        except ValidationError as exc:  # a drawn case the rules refuse stays where it stopped
            ctx.say(f"  support: {application} stopped: {'; '.join(exc.messages)[:120]}")
            made.append(application)
        day += dt.timedelta(days=rng.randint(3, 8))
    submitted = [a for a in made if a.submitted_at is not None]
    if submitted:
        demo.duplicate(submitted[0], same_invoice=False, day=day)
        demo.duplicate(
            submitted[min(2, len(submitted) - 1)], same_invoice=True, day=day + dt.timedelta(days=1)
        )
    ctx.say(
        f"  {Application.objects.count()} support applications, {LedgerEntry.objects.count()} ledger entries"
    )


def reset() -> None:
    for model in (LedgerEntry, Step, Attachment, CostItem):
        fast_delete(model.objects.all())
    for model in (Attachment.history.model, CostItem.history.model, Application.history.model):
        fast_delete(model.objects.all())
    fast_delete(Application.objects.all())
