"""Beijing 2023 and Chengdu 2023 tape-out rules, written as plan data, against a table of known awards."""

import datetime as dt
from decimal import Decimal

import pytest

from semicluster.support.awards import compute_award
from semicluster.support.rules import FoundryLocation, MaskKind, Substrate, parse_programs, schema_errors
from semicluster.support.tests.factories import M, facts
from semicluster.support.tests.real_rule_sets import BEIJING_2023, CHENGDU_2023

BEIJING = {p.code: p for p in parse_programs(BEIJING_2023)}
CHENGDU = {p.code: p for p in parse_programs(CHENGDU_2023)}


def test_both_real_rule_sets_are_valid_plan_data():
    assert schema_errors(BEIJING_2023) == []
    assert schema_errors(CHENGDU_2023) == []


MPW = {"mask": MaskKind.MPW}
KEY = {"product_field": "intelligent-computing"}
OTHER = {"product_field": "consumer"}

# (case, program, facts, prior same program, prior all programs, expected award, rule code)
BEIJING_CASES = [
    ("MPW half of 4 m", "beijing-2023-mpw", {**MPW, "cost": 4 * M}, 0, 0, 2 * M, "mpw-50"),
    ("MPW capped at 3 m per firm", "beijing-2023-mpw", {**MPW, "cost": 8 * M}, 0, 0, 3 * M, "mpw-50"),
    (
        "MPW 2.5 m already awarded leaves 0.5 m",
        "beijing-2023-mpw",
        {**MPW, "cost": 8 * M},
        "2500000",
        0,
        "500000",
        "mpw-50",
    ),
    (
        "full mask key field half of 30 m",
        "beijing-2023-full-mask",
        {**KEY, "cost": 30 * M},
        0,
        0,
        15 * M,
        "key-field",
    ),
    (
        "full mask key field capped at 20 m",
        "beijing-2023-full-mask",
        {**KEY, "cost": 50 * M},
        0,
        0,
        20 * M,
        "key-field",
    ),
    (
        "full mask other field 30 % capped at 10 m",
        "beijing-2023-full-mask",
        {**OTHER, "cost": 50 * M},
        0,
        0,
        10 * M,
        "other",
    ),
    (
        "full mask other field 30 % of 20 m",
        "beijing-2023-full-mask",
        {**OTHER, "cost": 20 * M},
        0,
        0,
        6 * M,
        "other",
    ),
    (
        "full mask at a Beijing fab pays half",
        "beijing-2023-full-mask",
        {**OTHER, "local_fab": True, "cost": 30 * M},
        0,
        0,
        15 * M,
        "beijing-fab",
    ),
    (
        "30 m per firm in total leaves 5 m after 25 m",
        "beijing-2023-full-mask",
        {**KEY, "cost": 50 * M},
        0,
        25 * M,
        5 * M,
        "key-field",
    ),
    (
        "30 % rounds half up to the fen",
        "beijing-2023-full-mask",
        {**OTHER, "cost": "10000001.15"},
        0,
        0,
        "3000000.35",
        "other",
    ),
    (
        "tape-out after the period is not eligible",
        "beijing-2023-full-mask",
        {**KEY, "cost": 10 * M, "tapeout_date": dt.date(2023, 4, 1)},
        0,
        0,
        0,
        None,
    ),
    (
        "an MPW claim in the full-mask program is not eligible",
        "beijing-2023-full-mask",
        {**MPW, "cost": M},
        0,
        0,
        0,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "code", "given", "prior_program", "prior_all", "expected", "rule"), BEIJING_CASES
)
def test_beijing_2023_award_table(case, code, given, prior_program, prior_all, expected, rule):
    result = compute_award(
        BEIJING[code],
        facts(**given),
        prior_awards_this_year_same_program=prior_program,
        prior_awards_this_year_all_programs=prior_all,
        budget_committed=0,
    )
    assert result.final_amount == Decimal(expected), case
    assert (result.rule.code if result.rule else None) == rule, case


CHENGDU_WINDOW_DAY = dt.date(2023, 8, 1)
FAB = {"chain_nodes": ("wafer-fab",), "applied_on": CHENGDU_WINDOW_DAY}
PACKAGER = {"chain_nodes": ("advanced-packaging",), "applied_on": CHENGDU_WINDOW_DAY, "item": "packaging-fee"}
DESIGN = {"applied_on": CHENGDU_WINDOW_DAY}
SI = {**FAB, "substrate": Substrate.SILICON}
GAN = {**FAB, "substrate": Substrate.COMPOUND}

CHENGDU_CASES = [
    (
        "key field half of 12 m",
        "chengdu-2023-full-mask",
        {**DESIGN, "priority_field": True, "cost": 12 * M},
        0,
        6 * M,
    ),
    (
        "non-key 30 % of 12 m",
        "chengdu-2023-full-mask",
        {**DESIGN, "priority_field": False, "cost": 12 * M},
        0,
        "3600000",
    ),
    (
        "key field capped at 10 m a year",
        "chengdu-2023-full-mask",
        {**DESIGN, "priority_field": True, "cost": 30 * M},
        0,
        10 * M,
    ),
    (
        "7 m already this year leaves 3 m",
        "chengdu-2023-full-mask",
        {**DESIGN, "priority_field": True, "cost": 30 * M},
        7 * M,
        3 * M,
    ),
    (
        "10 000 eight-inch wafers at 100 yuan",
        "chengdu-2023-foundry-wafers",
        {**SI, "wafer_size_mm": 200, "wafer_count": 10_000},
        0,
        M,
    ),
    (
        "12-inch wafers count 2.25 eight-inch equivalents",
        "chengdu-2023-foundry-wafers",
        {**SI, "wafer_size_mm": 300, "wafer_count": 10_000},
        0,
        "2250000",
    ),
    (
        "6-inch compound wafers count one each",
        "chengdu-2023-foundry-wafers",
        {**GAN, "wafer_size_mm": 150, "wafer_count": 3_000},
        0,
        300_000,
    ),
    (
        "4-inch compound wafers count 4/9",
        "chengdu-2023-foundry-wafers",
        {**GAN, "wafer_size_mm": 100, "wafer_count": 900},
        0,
        40_000,
    ),
    (
        "fab award capped at 10 m a year",
        "chengdu-2023-foundry-wafers",
        {**SI, "wafer_size_mm": 300, "wafer_count": 50_000},
        0,
        10 * M,
    ),
    ("packaging 5 % of 30 m", "chengdu-2023-packaging", {**PACKAGER, "cost": 30 * M}, 0, 1_500_000),
    ("packaging capped at 2 m", "chengdu-2023-packaging", {**PACKAGER, "cost": 50 * M}, 0, 2 * M),
    (
        "a design firm cannot claim the fab award",
        "chengdu-2023-foundry-wafers",
        {**DESIGN, "wafer_size_mm": 200, "wafer_count": 10},
        0,
        0,
    ),
]


@pytest.mark.parametrize(("case", "code", "given", "prior_program", "expected"), CHENGDU_CASES)
def test_chengdu_2023_award_table(case, code, given, prior_program, expected):
    result = compute_award(
        CHENGDU[code],
        facts(**given),
        prior_awards_this_year_same_program=prior_program,
        prior_awards_this_year_all_programs=prior_program,
        budget_committed=0,
    )
    assert result.final_amount == Decimal(expected), case


def test_beijing_key_field_wins_over_beijing_fab_by_plan_order():
    result = compute_award(
        BEIJING["beijing-2023-full-mask"],
        facts(**KEY, local_fab=True, foundry_location=FoundryLocation.DOMESTIC, cost=10 * M),
        prior_awards_this_year_same_program=0,
        prior_awards_this_year_all_programs=0,
        budget_committed=0,
    )
    assert result.rule is not None and result.rule.code == "key-field"
    assert [e.matched for e in result.rule_evaluations] == [True, True, True]
