"""A bilingual reason, shared by the analysis and the node classification."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """Why a figure or class came out as it did; ``code`` is stable for filtering, text is for people."""

    code: str
    zh: str
    en: str

    def text(self) -> str:
        return f"{self.zh} / {self.en}"
