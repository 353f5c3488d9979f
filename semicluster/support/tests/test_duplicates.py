import datetime as dt

from semicluster.support.duplicates import (
    Claim,
    ConflictKind,
    find_conflict,
    find_conflicts,
    invoice_key,
    repeated_invoices,
    tapeout_key,
)

DAY = dt.date(2025, 5, 20)
FIRM = "91320583MA1XXXXX0Y"


def claim(
    claim_id,
    *,
    firm=FIRM,
    foundry="中芯国际",
    product="DDIC-A1",
    day=DAY,
    invoices=(),
    submitted=None,
    label="",
):
    return Claim(claim_id, firm, foundry, product, day, tuple(invoices), submitted, label)


def test_same_firm_foundry_product_and_date_is_a_duplicate_pointing_to_the_earlier_claim():
    earlier = claim("A-1", submitted=dt.datetime(2025, 6, 1, 9, 0), label="KS-2025-0001")
    later = claim("A-2", submitted=dt.datetime(2025, 7, 1, 9, 0))
    conflict = find_conflict(claim("A-3"), [later, earlier])
    assert conflict is not None
    assert conflict.kind is ConflictKind.SAME_TAPEOUT
    assert conflict.earlier.claim_id == "A-1"
    assert "KS-2025-0001" in conflict.message and "同一企业、代工厂、产品和流片日期" in conflict.message


def test_spelling_noise_does_not_hide_a_duplicate():
    assert tapeout_key(FIRM.lower(), " 中芯国际 ", "ddic－a1", DAY) == tapeout_key(
        FIRM, "中芯国际", "DDIC-A1", DAY
    )
    assert find_conflict(
        claim("new", foundry="ＳＭＩＣ 北京", product="ddic a1"), [claim("old", foundry="smic北京")]
    )


def test_a_different_date_product_foundry_or_firm_is_not_a_duplicate():
    existing = [claim("old")]
    assert find_conflict(claim("n1", day=DAY + dt.timedelta(days=1)), existing) is None
    assert find_conflict(claim("n2", product="DDIC-A2"), existing) is None
    assert find_conflict(claim("n3", foundry="华虹宏力"), existing) is None
    assert find_conflict(claim("n4", firm="91320583MA1YYYYY0Z"), existing) is None


def test_the_same_invoice_is_a_duplicate_even_for_another_tape_out():
    old = claim("old", product="CIS-1", invoices=["0442 1234 5678 9012 3456"])
    new = claim("new", product="CIS-2", invoices=["X-1", "04421234567890123456"])
    conflict = find_conflict(new, [old])
    assert conflict is not None
    assert conflict.kind is ConflictKind.SAME_INVOICE
    assert conflict.invoices == ("04421234567890123456",)
    assert "同一发票" in conflict.message


def test_the_same_invoice_claimed_by_another_firm_is_caught():
    old = claim("old", firm="91320583MA1YYYYY0Z", invoices=["INV-9"])
    assert find_conflict(claim("new", invoices=["inv 9"]), [old]).earlier.claim_id == "old"


def test_a_resubmission_does_not_conflict_with_itself():
    original = claim("A-1", invoices=["INV-1"])
    assert find_conflict(claim("A-1", invoices=["INV-1"]), [original]) is None


def test_all_conflicts_are_listed_earliest_first_and_undated_last():
    undated = claim("u", invoices=["INV-1"], product="P2")
    first = claim("b", submitted=dt.date(2025, 6, 1))
    second = claim("a", invoices=["INV-1"], product="P3", submitted=dt.datetime(2025, 6, 1, 8, 0))
    conflicts = find_conflicts(claim("new", invoices=["INV-1"]), [undated, second, first])
    assert [c.earlier.claim_id for c in conflicts] == ["b", "a", "u"]
    assert [c.kind for c in conflicts] == [
        ConflictKind.SAME_TAPEOUT,
        ConflictKind.SAME_INVOICE,
        ConflictKind.SAME_INVOICE,
    ]


def test_blank_invoice_numbers_never_match():
    assert (
        find_conflict(
            claim("new", product="P1", invoices=[" ", ""]), [claim("old", product="P2", invoices=["-"])]
        )
        is None
    )


def test_an_invoice_cited_twice_in_one_application_is_reported():
    assert repeated_invoices(["INV-1", "inv 1", "INV-2", ""]) == ["INV1"]
    assert invoice_key(" inv-001 ") == "INV001"


def test_aware_submission_times_are_ordered_in_utc():
    beijing = dt.timezone(dt.timedelta(hours=8))
    early = claim(
        "early", submitted=dt.datetime(2025, 6, 1, 7, 0, tzinfo=beijing)
    )  # 23:00 UTC the day before
    late = claim("late", submitted=dt.datetime(2025, 5, 31, 23, 30, tzinfo=dt.UTC))
    assert find_conflict(claim("new"), [late, early]).earlier.claim_id == "early"
