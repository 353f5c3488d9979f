"""Every named URL × every role of SPEC §1 (and the anonymous public) against the declared policy.

A URL with no entry in `semicluster.core.access_policy.POLICY` fails here: new pages need a
decision about who may see them. Admin and API URLs are covered by Django's admin permissions and by
the API tests (which enumerate every operation from the OpenAPI document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from semicluster.accounts.models import Role
from semicluster.core.access_policy import FORBIDDEN, LOGIN, NOT_FOUND, OK, POLICY, ROLES
from semicluster.core.testing import make_enterprise, make_user
from semicluster.plans.models import Area, PlanVersion, Unit

EXCLUDED_NAMESPACES = {"admin", "api"}
EXCLUDED_NAMES = {"set_language", "javascript-catalog"}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.regex.groupindex)


def all_named_urls() -> dict[str, list[str]]:
    urls = {}
    for name, params in walk(get_resolver().url_patterns):
        if name not in EXCLUDED_NAMES:
            urls[name] = params
    return urls


def test_every_named_url_has_a_declared_policy():
    missing = sorted(set(all_named_urls()) - set(POLICY))
    assert not missing, f"URLs without an access-policy entry in core/access_policy.py: {missing}"


def test_the_policy_names_only_urls_that_exist():
    stale = sorted(set(POLICY) - set(all_named_urls()))
    assert not stale, f"policy entries for URLs that no longer exist: {stale}"


# Builders for URL arguments: each creates an object in the kfq area and returns it.
SAMPLES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "enterprise": lambda ctx: make_enterprise(area="kfq"),
    "plan_version": lambda ctx: PlanVersion.objects.first(),
}


def register_sample(
    name: str,
) -> Callable[[Callable[[dict[str, Any]], Any]], Callable[[dict[str, Any]], Any]]:
    def decorator(builder: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
        SAMPLES[name] = builder
        return builder

    return decorator


def _kwargs(obj: Any, params: list[str]) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    return {param: obj.pk for param in params}


@pytest.fixture
def users(kunshan_plan):
    firm = make_enterprise(area="kfq")
    return {
        "anonymous": None,
        "city_admin": make_user(Role.CITY_ADMIN),
        "leader": make_user(Role.LEADER),
        "kfq_officer": make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code="kfq")),
        "gxq_officer": make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code="gxq")),
        "unit_officer": make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(code="fgw")),
        "enterprise_user": make_user(Role.ENTERPRISE_USER, enterprise=firm),
    }


def outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/accounts/login/" in response["Location"] else OK
    if response.status_code == 403 or response.status_code == 429:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    if 200 <= response.status_code < 300:
        return OK
    return f"status {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_role_gets_what_the_policy_declares(client, users, name):
    rule = POLICY[name]
    if rule.skip_reason:
        pytest.skip(rule.skip_reason)
    params = all_named_urls().get(name, [])
    kwargs = _kwargs(SAMPLES[rule.sample](users), params) if rule.sample else {}
    url = reverse(name, kwargs=kwargs or None)
    got = {}
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = getattr(client, rule.method)(url, rule.params)
        got[role] = outcome(response)
    assert got == {role: rule.expect[role] for role in ROLES}
