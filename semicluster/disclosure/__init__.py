"""Statistical disclosure control (统计数据保密 / SDC) for the public edition and open data.

Pure engine, no Django: primary sensitivity rules on per-cell contribution lists (:mod:`.rules`),
additive tables with margins (:mod:`.tables`), complementary suppression (:mod:`.secondary`), an LP
interval audit (:mod:`.audit`) and the one entry point the publishers call, :func:`protect_table`
(:mod:`.publish`). Rule parameters come from server settings and are never published (统计法).
"""

from .audit import COALITION, AuditReport, CellInterval, audit_suppression
from .publish import (
    PUBLIC_FOOTNOTE,
    SUPPRESSION_SYMBOL,
    ProtectedCell,
    ProtectedTable,
    SuppressionKind,
    assess_table,
    protect_table,
)
from .rules import (
    CellAssessment,
    Contribution,
    DisclosureParameters,
    DominanceRule,
    SensitivityReason,
    assess_cell,
    combine_contributions,
)
from .secondary import complementary_suppression, secure_suppression
from .tables import TOTAL, Cell, CellKey, Relation, Table

__all__ = [
    "COALITION",
    "PUBLIC_FOOTNOTE",
    "SUPPRESSION_SYMBOL",
    "TOTAL",
    "AuditReport",
    "Cell",
    "CellAssessment",
    "CellInterval",
    "CellKey",
    "Contribution",
    "DisclosureParameters",
    "DominanceRule",
    "ProtectedCell",
    "ProtectedTable",
    "Relation",
    "SensitivityReason",
    "SuppressionKind",
    "Table",
    "assess_cell",
    "assess_table",
    "audit_suppression",
    "combine_contributions",
    "complementary_suppression",
    "protect_table",
    "secure_suppression",
]
