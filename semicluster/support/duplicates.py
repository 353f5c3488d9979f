"""Duplicate-claim detection (重复申报) for tape-out support — a pure engine.

Two claims are for the same tape-out when they share firm + foundry + product + tape-out date, or
when they cite the same invoice (发票). The keys are normalised so that spelling noise does not hide a
duplicate: Unicode NFKC (full-width to half-width), case folded, whitespace and punctuation dropped;
the firm is its 统一社会信用代码 in upper case.

Invoice numbers are compared as written after normalisation. An old-style VAT invoice is unique only
as 发票代码 + 发票号码, so the workflow should store both in one reference (e.g. "3200221130 12345678");
the 20-digit 全电发票 number is unique on its own.

The caller decides which existing claims count (e.g. leaves out withdrawn ones) and passes them in;
the claim being checked is skipped by its id, so a corrected resubmission does not conflict with
itself.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


def _squash(text: str) -> str:
    """NFKC, case-folded, with whitespace and punctuation removed (letters, digits and CJK stay)."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in normal if unicodedata.category(ch)[0] in {"L", "N"})


def firm_key(firm_id: str) -> str:
    return unicodedata.normalize("NFKC", firm_id).strip().upper()


def tapeout_key(firm_id: str, foundry: str, product: str, tapeout_date: dt.date) -> tuple[str, str, str, str]:
    """Same firm, foundry, product and tape-out date means the same tape-out."""
    return (firm_key(firm_id), _squash(foundry), _squash(product), tapeout_date.isoformat())


def invoice_key(invoice_no: str) -> str:
    return _squash(invoice_no).upper()


@dataclass(frozen=True)
class Claim:
    """What duplicate detection needs to know of an application."""

    claim_id: str
    firm_id: str
    foundry: str
    product: str
    tapeout_date: dt.date
    invoice_numbers: tuple[str, ...] = ()
    submitted_at: dt.datetime | dt.date | None = None
    label: str = ""  # how the UI names it, e.g. the application number

    @property
    def tapeout(self) -> tuple[str, str, str, str]:
        return tapeout_key(self.firm_id, self.foundry, self.product, self.tapeout_date)

    @property
    def invoices(self) -> frozenset[str]:
        return frozenset(k for k in (invoice_key(n) for n in self.invoice_numbers) if k)


class ConflictKind(StrEnum):
    SAME_TAPEOUT = "same_tapeout"
    SAME_INVOICE = "same_invoice"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    earlier: Claim
    invoices: tuple[str, ...] = ()  # the shared invoice keys, for SAME_INVOICE

    @property
    def message(self) -> str:
        name = self.earlier.label or self.earlier.claim_id
        if self.kind is ConflictKind.SAME_TAPEOUT:
            return (
                f"与申请 {name} 重复：同一企业、代工厂、产品和流片日期 / "
                f"duplicates application {name}: same firm, foundry, product and tape-out date"
            )
        shared = "、".join(self.invoices)
        return f"与申请 {name} 使用同一发票 {shared} / uses the same invoice as application {name}: {shared}"


def _order(claim: Claim) -> tuple[int, dt.datetime, str]:
    # Earliest first; a claim without a submission time sorts last, ties by id. Aware times (Django
    # stores UTC) compare in UTC; a bare date counts as its midnight.
    when = claim.submitted_at
    if when is None:
        return (1, dt.datetime.min, claim.claim_id)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time())
    elif when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return (0, when, claim.claim_id)


def find_conflicts(claim: Claim, existing: Iterable[Claim]) -> list[Conflict]:
    """Every existing claim that conflicts with ``claim``, earliest first (one entry per claim; a claim
    that is both the same tape-out and shares an invoice is reported as the same tape-out)."""
    conflicts: list[Conflict] = []
    mine_tapeout, mine_invoices = claim.tapeout, claim.invoices
    for other in sorted(existing, key=_order):
        if other.claim_id == claim.claim_id:
            continue
        if other.tapeout == mine_tapeout:
            conflicts.append(Conflict(ConflictKind.SAME_TAPEOUT, other))
            continue
        shared = mine_invoices & other.invoices
        if shared:
            conflicts.append(Conflict(ConflictKind.SAME_INVOICE, other, tuple(sorted(shared))))
    return conflicts


def find_conflict(claim: Claim, existing: Iterable[Claim]) -> Conflict | None:
    """The earliest existing claim that conflicts with ``claim``, or None: the pointer the refusal shows."""
    conflicts = find_conflicts(claim, existing)
    return conflicts[0] if conflicts else None


def repeated_invoices(invoice_numbers: Iterable[str]) -> list[str]:
    """Invoice keys cited more than once within one application (the cost would count twice)."""
    counts = Counter(k for k in (invoice_key(n) for n in invoice_numbers) if k)
    return sorted(k for k, n in counts.items() if n > 1)
