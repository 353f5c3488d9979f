"""The award computation as stored JSON and as rows for the page: each step explained, in the
reader's language (the engine writes every sentence in Chinese and English)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
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


def computed_at(document: dict[str, Any] | None) -> dt.datetime | None:
    """When the stored computation was made, as a datetime (the page shows it in local time)."""
    value = (document or {}).get("computed_at")
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# Where the engine's sentences list codes: the step, the kind of code, the words before the list and
# the text after it (empty: the list runs to the end of the sentence). Stored computations keep the
# engine's words; the page puts the plan's names in place of the codes.
_CODE_LISTS = (
    ("eligibility", "chain_nodes", "产业链环节符合：", "；"),
    ("eligibility", "chain_nodes", "chain node fits: ", "; "),
    ("eligible_cost", "cost_items", "；不计入：", ""),
    ("eligible_cost", "cost_items", "; not counted: ", ""),
)
_CODE = re.compile(r"[a-z][a-z0-9_-]*")


def name_codes(step_code: str, text: str, names: Mapping[str, Mapping[str, str]]) -> str:
    """The step's sentence with the codes it lists replaced by their names (unknown codes stay)."""
    for step, kind, before, after in _CODE_LISTS:
        known = names.get(kind)
        start = text.find(before)
        if step != step_code or not known or start < 0:
            continue
        start += len(before)
        stop = text.find(after, start) if after else -1
        stop = len(text) if stop < 0 else stop
        text = text[:start] + _named(text[start:stop], known) + text[stop:]
    return text


def _named(listed: str, known: Mapping[str, str]) -> str:
    return _CODE.sub(lambda m: known.get(m.group(0), m.group(0)), listed)


def step_rows(
    document: dict[str, Any] | None, language: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> list[dict[str, Any]]:
    """The stored steps in the reader's language: label, sentence (codes named when ``names`` maps
    ``chain_nodes`` / ``cost_items`` codes to names), running amount, whether it cut."""
    if not document:
        return []
    english = language.startswith("en")
    rows = []
    for step in document.get("steps", []):
        text = step["text_en"] if english else step["text_zh"]
        rows.append(
            {
                "code": step["code"],
                "label": step["label_en"] if english else step["label_zh"],
                "text": name_codes(step["code"], text, names or {}),
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
