"""统一社会信用代码 (Unified Social Credit Code) checks after GB 32100-2015.

The 18th character is a check over the first 17 (weights 3^(i-1) mod 31, alphabet without I O S V Z);
characters 9–17 are a GB 11714 organisation code with its own mod-11 check, which we report as a
warning only: some legitimately issued codes are said to fail it. Characters 3–8 name the
*registering authority's* area, never the firm's location (SPEC §4), so nothing here derives a
location from them.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


@dataclass(frozen=True)
class CreditCodeResult:
    code: str
    error: str | None = None
    warning: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.error is None


def normalise(raw: str) -> str:
    """Upper-case, strip spaces, and turn full-width characters into their ASCII form."""
    out = []
    for ch in raw.strip():
        codepoint = ord(ch)
        if 0xFF01 <= codepoint <= 0xFF5E:
            ch = chr(codepoint - 0xFEE0)
        if not ch.isspace():
            out.append(ch.upper())
    return "".join(out)


def check_character(first17: str) -> str:
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check_character(body8: str) -> str:
    total = 0
    for ch, weight in zip(body8, ORG_WEIGHTS, strict=True):
        value = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += value * weight
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate(raw: str) -> CreditCodeResult:
    code = normalise(raw)
    if len(code) != 18:
        return CreditCodeResult(
            code,
            error=f"统一社会信用代码应为18位，实际为{len(code)}位 / must be 18 characters, got {len(code)}",
        )
    for position, ch in enumerate(code, start=1):
        if ch not in _VALUES:
            return CreditCodeResult(
                code,
                error=(
                    f"第{position}位字符“{ch}”不允许（不使用 I、O、S、V、Z） / "
                    f"character {position} '{ch}' is not allowed (I, O, S, V, Z are never used)"
                ),
            )
    if not code[2:8].isdigit():
        return CreditCodeResult(
            code, error="第3–8位应为行政区划码（6位数字） / characters 3–8 must be a 6-digit area code"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return CreditCodeResult(
            code,
            error=(
                f"第18位校验码错误：应为“{expected}”，实际为“{code[17]}” / "
                f"character 18 (check character) is wrong: expected '{expected}', got '{code[17]}'"
            ),
        )
    body = code[8:16]
    warning = None
    if all(ch.isdigit() or "A" <= ch <= "Z" for ch in body):
        org_expected = organisation_check_character(body)
        if code[16] != org_expected:
            warning = (
                f"第9–17位组织机构代码校验不通过（第17位应为“{org_expected}”），请核对 / "
                f"characters 9–17 fail the GB 11714 organisation-code check (character 17 should be "
                f"'{org_expected}'); please verify the code"
            )
    return CreditCodeResult(code, warning=warning)


def make_valid_code(first16: str) -> str:
    """Complete 16 characters into a valid code (organisation check, then GB 32100 check).

    Used by the synthetic demo generator only: demo codes are valid but invented.
    """
    org = first16[:8] + first16[8:16]
    with_org = org + organisation_check_character(first16[8:16])
    return with_org + check_character(with_org)
