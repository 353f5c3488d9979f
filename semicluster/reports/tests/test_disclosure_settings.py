"""The confidential disclosure-control parameters come from the environment and are checked at start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from semicluster.config.env import env_json_object
from semicluster.reports.apps import check_disclosure_parameters
from semicluster.reports.sdc import disclosure_parameters


def test_parameters_are_read_from_a_file_named_by_the_environment(tmp_path, monkeypatch):
    secret = tmp_path / "disclosure.json"
    secret.write_text('{"min_frequency": 4, "dominance": [[2, 90]], "p_percent": 10}', encoding="utf-8")
    monkeypatch.setenv("SEMICLUSTER_DISCLOSURE_FILE", str(secret))
    assert env_json_object("SEMICLUSTER_DISCLOSURE") == {
        "min_frequency": 4,
        "dominance": [[2, 90]],
        "p_percent": 10,
    }


def test_a_file_that_is_not_a_json_object_stops_the_settings_with_its_name(tmp_path, monkeypatch):
    secret = tmp_path / "disclosure.json"
    secret.write_text("[3, 85]", encoding="utf-8")
    monkeypatch.setenv("SEMICLUSTER_DISCLOSURE_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="SEMICLUSTER_DISCLOSURE must be a JSON object"):
        env_json_object("SEMICLUSTER_DISCLOSURE")


def test_an_unknown_or_wrong_parameter_fails_the_system_check(settings):
    settings.SEMICLUSTER_DISCLOSURE = {"min_frequncy": 3}
    errors = check_disclosure_parameters()
    assert [e.id for e in errors] == ["semicluster.E001"] and "min_frequncy" in errors[0].msg
    settings.SEMICLUSTER_DISCLOSURE = {"min_frequency": 4}
    assert check_disclosure_parameters() == []
    assert disclosure_parameters().min_frequency == 4
