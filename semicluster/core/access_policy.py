"""The declared access policy: for every named URL, what each role gets.

`core/tests/test_access_matrix.py` walks every URL pattern of the project and checks each against
this table for every role of SPEC §1 and the anonymous public; a URL without an entry fails the test,
so a new page cannot ship without a decision about who may see it.

Outcomes: OK (2xx, or a redirect that is not to the log-in page), LOGIN (redirect to log in),
FORBIDDEN (403), NOT_FOUND (404: another scope's object). For URLs that take arguments, ``sample``
names a builder in the test that creates an object in the kfq area (owned by another firm than the
enterprise user's), so scoped roles outside kfq expect NOT_FOUND.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK = "ok"
LOGIN = "login"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"

ROLES = ("anonymous", "city_admin", "leader", "kfq_officer", "gxq_officer", "unit_officer", "enterprise_user")


@dataclass(frozen=True)
class Rule:
    expect: dict[str, str]
    sample: str | None = None  # builder name for URL arguments
    method: str = "get"
    skip_reason: str = ""  # URLs checked elsewhere (POST-only actions, file downloads with side effects)
    params: dict[str, str] = field(default_factory=dict)


def everyone_signed_in(**overrides: str) -> dict[str, str]:
    expect = {role: OK for role in ROLES}
    expect["anonymous"] = LOGIN
    expect.update(overrides)
    return expect


def public() -> dict[str, str]:
    return {role: OK for role in ROLES}


def city_only(**overrides: str) -> dict[str, str]:
    expect = {role: FORBIDDEN for role in ROLES}
    expect.update(anonymous=LOGIN, city_admin=OK, leader=OK)
    expect.update(overrides)
    return expect


def area_scoped_object() -> dict[str, str]:
    """An object in the kfq area: city roles and the kfq officer see it; other scopes get 404."""
    return {
        "anonymous": LOGIN,
        "city_admin": OK,
        "leader": OK,
        "kfq_officer": OK,
        "gxq_officer": NOT_FOUND,
        "unit_officer": NOT_FOUND,
        "enterprise_user": NOT_FOUND,
    }


POLICY: dict[str, Rule] = {
    "core:home": Rule(everyone_signed_in()),
    "core:health": Rule(public()),
    "accounts:login": Rule(public()),
    "accounts:logout": Rule(everyone_signed_in(), skip_reason="POST-only; exercised by the login tests"),
    "accounts:tokens": Rule(everyone_signed_in()),
    "plans:overview": Rule(everyone_signed_in()),
    "plans:version": Rule(everyone_signed_in(), sample="plan_version"),
    "plans:schema": Rule(public()),
    "enterprises:list": Rule(everyone_signed_in()),
    "enterprises:detail": Rule(area_scoped_object(), sample="enterprise"),
}
