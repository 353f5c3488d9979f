"""Shared test fixtures and factories (loaded by the root conftest as a pytest plugin).

Personas follow SPEC §1: a city admin, a leader, district officers of two areas, a unit officer,
an enterprise user, and the anonymous public.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection

from semicluster.accounts.models import Role, User
from semicluster.enterprises.credit_code import make_valid_code
from semicluster.enterprises.models import Enterprise, Ownership, PeriodType, PeriodValue
from semicluster.plans.models import Area, ChainNode, PlanVersion, Town, Unit
from semicluster.plans.services import plan_load

KUNSHAN_PLAN = Path(settings.SEMICLUSTER_DEFAULT_PLAN)
_serial = itertools.count(1)


def synthetic_credit_code() -> str:
    return make_valid_code(f"91320583MA{next(_serial):06d}")


@pytest.fixture
def kunshan_plan(db: Any) -> PlanVersion:
    """The Kunshan 2025 plan version: loaded once per test database by the root conftest; a
    transactional test that flushed it gets it loaded again here."""
    existing = PlanVersion.objects.filter(plan__code="kunshan-semiconductor-2025").order_by("-number").first()
    return existing or plan_load(KUNSHAN_PLAN).version


def make_enterprise(
    *, area: Area | str = "kfq", node: ChainNode | str | None = None, **fields: Any
) -> Enterprise:
    area_obj = area if isinstance(area, Area) else Area.objects.get(code=area)
    if node is None:
        node_obj = area_obj.focus_nodes.order_by("sort").first() or ChainNode.objects.first()
    else:
        node_obj = node if isinstance(node, ChainNode) else ChainNode.objects.get(code=node)
    assert node_obj is not None
    defaults: dict[str, Any] = {
        "credit_code": synthetic_credit_code(),
        "name": f"测试企业{next(_serial)}（测试）",
        "area": area_obj,
        "town": Town.objects.filter(area=area_obj).first(),
        "primary_node": node_obj,
        "industry_code": node_obj.industry_codes[0],
        "ownership": Ownership.PRIVATE,
    }
    defaults.update(fields)
    enterprise = Enterprise(**defaults)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


def add_value(
    enterprise: Enterprise,
    measure: str,
    year: int,
    value: Decimal | int | str,
    *,
    month: int | None = None,
    basis: str = "ytd",
) -> PeriodValue:
    return PeriodValue.objects.create(
        enterprise=enterprise,
        measure=measure,
        year=year,
        period_type=PeriodType.MONTH if month else PeriodType.YEAR,
        period=month or 0,
        basis=basis if month else "single",
        value=Decimal(str(value)),
    )


def make_user(role: str, username: str | None = None, **scope: Any) -> User:
    user = User(username=username or f"{role}-{next(_serial)}", role=role, **scope)
    user.set_password("test-pass-123")
    user.is_staff = user.is_superuser = role == Role.CITY_ADMIN
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def personas(kunshan_plan: PlanVersion) -> dict[str, User]:
    kfq = Area.objects.get(code="kfq")
    gxq = Area.objects.get(code="gxq")
    firm = make_enterprise(area=kfq)
    return {
        "admin": make_user(Role.CITY_ADMIN, "admin"),
        "leader": make_user(Role.LEADER, "leader"),
        "kfq_officer": make_user(Role.DISTRICT_OFFICER, "kfq-officer", area=kfq),
        "gxq_officer": make_user(Role.DISTRICT_OFFICER, "gxq-officer", area=gxq),
        "unit_officer": make_user(Role.UNIT_OFFICER, "unit-officer", unit=Unit.objects.get(code="fgw")),
        "enterprise_user": make_user(Role.ENTERPRISE_USER, "firm-user", enterprise=firm),
    }


# --- failure injection: prove that a write is all or nothing -------------------------------------------


class InjectedDatabaseError(DatabaseError):
    """Raised by :func:`database_fails_on` in place of a real statement."""


@contextmanager
def database_fails_on(table: str, verb: str = "INSERT", *, after: int = 0) -> Iterator[list[str]]:
    """Make the database refuse the ``after``-th (0-based) ``verb`` statement on ``table``, as a full disk,
    a killed connection or a constraint would: the statement never runs and a DatabaseError is raised.

    Yields the statements that ran, for assertions that the failure came late (after other writes)."""
    seen: list[str] = []
    count = 0

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        head = sql.lstrip()[:120].lower()  # "INSERT INTO "support_ledgerentry" (...": the target table
        # Bulk writers insert with COPY on PostgreSQL: the same write, as far as failures go.
        inserting = verb.upper() == "INSERT" and head.startswith("copy ")
        if (head.startswith(verb.lower()) or inserting) and f'"{table.lower()}"' in head:
            if count == after:
                count += 1
                raise InjectedDatabaseError(f"injected failure on {verb} {table}")
            count += 1
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def table_counts() -> dict[str, int]:
    """Rows in every table of every installed model (history tables included): a cheap fingerprint
    of the whole database for "nothing was written" assertions."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@contextmanager
def rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """For module-scoped test data: build it once inside a transaction that is rolled back when the
    module is done; each test runs in its own savepoint on top (pytest-django's ``db``)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
