import pytest
from django.core.exceptions import ImproperlyConfigured

from semicluster.config.env import env_bool, env_int


def test_a_misspelt_boolean_stops_the_start(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_INT", "-1")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("SOME_INT", 5, minimum=0)
