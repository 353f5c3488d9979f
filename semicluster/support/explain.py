"""The award computation as stored JSON and as rows for the page: each step explained, in the
reader's language (the engine writes every sentence in Chinese and English)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from semicluster.support.awards import AwardComputation


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def computation_json(computation: AwardComputation, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the page shows, with money as decimal strings (JSON has no exact decimals)."""
    rule = computation.rule
    override = computation.override_decision
    return {
        "program": computation.program_code,
        "computed_at": at.isoformat() if at else None,
        "eligible": computation.eligible,
        "eligibility": [
            {"code": c.code, "ok": c.ok, "zh": c.zh, "en": c.en} for c in computation.eligibility
        ],
        "eligible_cost": _s(computation.eligible_cost),
        "excluded_costs": [
            {"item": c.item, "amount": _s(c.amount), "invoice": c.invoice_no}
            for c in computation.excluded_costs
        ],
        "rule": None
        if rule is None
        else {
            "code": rule.code,
            "name": rule.name,
            "name_en": rule.name_en,
            "rate_percent": _s(rule.rate_percent),
            "basis": rule.basis.value,
        },
        "rules": [
            {
                "code": e.rule.code,
                "name": e.rule.name,
                "name_en": e.rule.name_en,
                "matched": e.matched,
                "reasons": [{"ok": c.ok, "zh": c.zh, "en": c.en} for c in e.reasons],
            }
            for e in computation.rule_evaluations
        ],
        "gross_amount": _s(computation.gross_amount),
        "computed_amount": _s(computation.computed_amount),
        "budget_remaining": _s(computation.budget_remaining),
        "over_budget": computation.over_budget,
        "budget_shortfall": _s(computation.budget_shortfall),
        "final_amount": _s(computation.final_amount),
        "override": None
        if override is None
        else {
            "amount": _s(override.amount),
            "reason": override.reason,
            "approver": override.approver,
            "exceeds_budget": override.exceeds_budget,
        },
        "steps": [
            {
                "code": step.code,
                "label_zh": step.label_zh,
                "label_en": step.label_en,
                "text_zh": step.text_zh,
                "text_en": step.text_en,
                "numbers": {k: str(v) for k, v in step.numbers.items()},
                "amount": _s(step.amount),
                "applied": step.applied,
            }
            for step in computation.steps
        ],
    }


def step_rows(document: dict[str, Any] | None, language: str) -> list[dict[str, Any]]:
    """The stored steps in the reader's language: label, sentence, running amount, whether it cut."""
    if not document:
        return []
    english = language.startswith("en")
    rows = []
    for step in document.get("steps", []):
        rows.append(
            {
                "code": step["code"],
                "label": step["label_en"] if english else step["label_zh"],
                "text": step["text_en"] if english else step["text_zh"],
                "amount": Decimal(step["amount"]) if step.get("amount") is not None else None,
                "applied": step.get("applied", False),
            }
        )
    return rows


def rule_rows(document: dict[str, Any] | None, language: str) -> list[dict[str, Any]]:
    if not document:
        return []
    english = language.startswith("en")
    return [
        {
            "name": rule["name_en"] if english else rule["name"],
            "matched": rule["matched"],
            "reasons": [{"ok": r["ok"], "text": r["en"] if english else r["zh"]} for r in rule["reasons"]],
        }
        for rule in document.get("rules", [])
    ]
