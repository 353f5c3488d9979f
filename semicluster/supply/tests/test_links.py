import numpy as np
import pytest

from semicluster.supply.links import PPM, SurveyDataError, SurveyLinks

from .conftest import answer


def test_values_are_held_as_exact_fen(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", "1234.56"), answer(2, "f1", "gas", "s2", "suzhou")
    )
    assert links.value_fen.tolist() == [123456, -1]
    assert links.valued.tolist() == [True, False]


def test_a_value_finer_than_one_fen_is_refused_not_rounded(build):
    with pytest.raises(SurveyDataError, match="第1行") as caught:
        build(answer(1, "f1", "wafer", "s1", "kunshan", "10.005"))
    assert "0.01" in caught.value.errors[0]


def test_a_float_amount_is_refused():
    record = answer(1, "f1", "wafer", "s1", "kunshan")
    record["purchase_value"] = 10.5
    with pytest.raises(SurveyDataError, match="float"):
        SurveyLinks.from_records([record])


def test_a_supplier_abroad_without_country_is_refused_with_row_number(build):
    with pytest.raises(SurveyDataError) as caught:
        build(
            answer(1, "f1", "wafer", "s1", "kunshan", "1"),
            answer(2, "f1", "resist", "s2", "abroad", country=""),
        )
    assert caught.value.errors == [
        "第2行：境外供应商须填写国家（地区） / row 2: a supplier abroad needs its country"
    ]


def test_every_bad_row_is_reported_at_once(build):
    with pytest.raises(SurveyDataError) as caught:
        build(
            answer(1, "f1", "wafer", "s1", "moon", "1"),
            answer(2, "f1", "wafer", "s1", "kunshan", "-5"),
            answer(3, "f1", "wafer", "s1", "kunshan", share="1.5"),
            answer(4, "f1", "wafer", "s1", "kunshan", category="food"),
            answer(5, "f1", "wafer", "s1", "china", country="US"),
        )
    rows = [e.split("：")[0] for e in caught.value.errors]
    assert rows == ["第1行", "第2行", "第3行", "第4行", "第5行"]


def test_shares_accept_fractions_percent_signs_and_percent_unit(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "kunshan", share="0.7"),
        answer(2, "f1", "gas", "s1", "kunshan", share="70%"),
    )
    assert links.share_ppm.tolist() == [700_000, 700_000]
    percent = build(answer(1, "f1", "wafer", "s1", "kunshan", share="35"), share_unit="percent")
    assert percent.share_ppm.tolist() == [350_000]
    assert PPM == 1_000_000


def test_a_domestic_alternative_follows_has_alternative_unless_stated(build):
    links = build(
        answer(1, "f1", "wafer", "s1", "abroad", alt=True),
        answer(2, "f2", "wafer", "s1", "abroad", alt=True, alt_domestic=False),
        answer(3, "f3", "wafer", "s1", "abroad"),
    )
    assert links.alternative_domestic.tolist() == [True, False, False]


def test_items_of_the_same_name_in_different_categories_stay_apart(build):
    links = build(
        answer(1, "f1", "cleaning", "s1", "kunshan", category="services"),
        answer(2, "f1", "cleaning", "s2", "kunshan", category="equipment"),
    )
    assert links.item_labels == [("services", "cleaning"), ("equipment", "cleaning")]


def test_columns_of_unequal_length_are_refused():
    with pytest.raises(SurveyDataError, match="firm_id"):
        SurveyLinks.from_columns(
            answer_id=[1, 2],
            firm_id=["f1"],
            node=["n", "n"],
            area=["a", "a"],
            category=["material"] * 2,
            item=["x", "x"],
            supplier_id=["s", "s"],
            level=["kunshan"] * 2,
        )


def test_no_answers_make_empty_columns():
    links = SurveyLinks.empty()
    assert len(links) == 0
    assert links.value_fen.dtype == np.int64
    assert links.item_labels == []


def test_columns_may_be_numpy_arrays_and_records_may_be_objects():
    from types import SimpleNamespace

    links = SurveyLinks.from_columns(
        answer_id=np.array([7, 8]),
        firm_id=np.array(["f1", "f2"]),
        node=np.array(["n", "n"]),
        area=np.array(["a", "a"]),
        category=np.array(["material", "equipment"]),
        item=np.array(["x", "y"]),
        supplier_id=np.array(["s1", "s2"]),
        level=np.array(["kunshan", "abroad"]),
        country=np.array(["", "us"]),
        has_alternative=np.array([True, False]),
        lead_time_days=np.array([30, 90]),
    )
    assert links.country_labels == ["CN", "US"]
    assert links.has_alternative.tolist() == [True, False]
    assert links.lead_time_days.tolist() == [30, 90]
    row = SimpleNamespace(**answer(1, "f1", "wafer", "s1", "kunshan", "5"))
    assert SurveyLinks.from_records([row]).value_fen.tolist() == [500]
