"""Texts computed in both languages ("中文 / English") show only the page's half."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_disclosure_footnote_is_shown_in_the_readers_language(kunshan_plan):
    client = Client()
    zh = client.get(reverse("portal:methodology"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "为保护企业商业秘密" in zh and "withheld to protect" not in zh
    en = client.get(reverse("portal:methodology"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "withheld to protect" in en and "为保护企业商业秘密" not in en


def test_a_bilingual_service_error_is_shown_in_the_readers_language(client, personas):
    from semicluster.projects.tests.conftest import make_project

    project = make_project(actor=personas["admin"])
    client.force_login(personas["admin"])
    future = {"year": 2100, "month": 1, "ytd_completed_wan": "1"}
    url = reverse("projects:progress", args=[project.pk])
    zh = client.post(url, future, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2100年1月尚未到来" in zh and "is in the future" not in zh
    en = client.post(url, future, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2100-01 is in the future" in en and "尚未到来" not in en
