"""Every REST API operation × every role of SPEC §1 (and the anonymous public) against the declared policy.

Operations are enumerated from the OpenAPI document the app serves (``/api/openapi.json``), so an
operation without an entry in ``semicluster.core.access_policy.API_POLICY`` fails here, and so does an
entry for an operation that no longer exists: a new endpoint cannot ship without a decision about who
may call it.

Each operation is called once per role, with that role's bearer token (anonymous: none):

* path parameters are filled from records in the acting users' own scope — the kfq area, the
  enterprise user's firm, the unit officer's unit (fgw) — built once per module by
  ``access_world.build_scope``; so ALLOWED means the role really reads or changes its own record, and
  NOT_FOUND means the role has no scope on that kind of record at all (a unit officer and an
  enterprise, say). Another scope's records are the subject of ``test_object_scoping.py``;
* write operations get a minimal valid body (``access_world.BODIES``), so ALLOWED is a 2xx. Where a
  valid write is impractical in a fixed world — a tape-out application can only be submitted inside
  its program's application window, which the clock has passed — the policy says PERMITTED: the call
  passes the permission layer (no 401/403/404) and the answer is a 2xx or a 400/409/422 refusal of
  the input. That is the "403 vs non-403" distinction; the rules behind the refusal are the app's own
  tests;
* each role's call runs in a savepoint that is rolled back, so every role meets the same records.

A 5xx (or an exception) is never an acceptable outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from semicluster.core.access_policy import (
    ALLOWED,
    API_POLICY,
    API_ROLES,
    FORBIDDEN,
    NOT_FOUND,
    PERMITTED,
    UNAUTHORIZED,
)
from semicluster.core.testing import make_enterprise, rolled_back
from semicluster.core.tests.access_world import (
    QUERIES,
    Operation,
    World,
    body_for,
    build_actors,
    build_scope,
    call,
    period_csv,
    served_operations,
)
from semicluster.core.tests.access_world import path_values as shared_path_values
from semicluster.plans.models import Town

# --------------------------------------------------------------------------- the world


@dataclass
class MatrixWorld(World):
    batches: dict[str, dict[str, Any]]  # role → {"previewed": batch, "committed": batch}


def build_world() -> MatrixWorld:
    from semicluster.core.testing import add_value
    from semicluster.intake import services as intake
    from semicluster.intake.models import ImportBatch
    from semicluster.monitoring.services import indicators_refresh

    firm = make_enterprise(area="kfq", node="display-driver-ic")
    actors = build_actors(firm=firm, area="kfq", unit="fgw")
    admin = actors.users["city_admin"]
    assert admin is not None
    scope = build_scope(admin=admin, area="kfq", unit="fgw", firm=firm)
    add_value(firm, "revenue", 2025, "300000000", month=6)
    indicators_refresh()
    # Each role's own import batches: a preview, and a committed one (for revert). Roles that may not
    # import anything get the rows directly: the point is that a batch is its uploader's.
    batches: dict[str, dict[str, Any]] = {}
    for index, (role, user) in enumerate(actors.users.items()):
        if user is None:
            continue
        try:  # one month per role, so reverting one role's batch does not meet another's values
            previewed = intake.import_preview(
                actor=user,
                dataset_key="period_values",
                filename="月报.csv",
                data=period_csv(firm, 1 + index, 1000),
            )
            committed = intake.import_preview(
                actor=user,
                dataset_key="period_values",
                filename="月报.csv",
                data=period_csv(firm, 1 + index, 2000),
            )
            committed = intake.import_commit(actor=user, batch=committed)
        except intake.ImportNotAllowed:
            previewed = ImportBatch.objects.create(
                dataset="period_values", user=user, filename="月报.csv", sha256=f"{index:064d}"
            )
            committed = ImportBatch.objects.create(
                dataset="period_values",
                user=user,
                filename="月报.csv",
                sha256=f"{index + 100:064d}",
                status=ImportBatch.Status.COMMITTED,
                committed_at=timezone.now(),
            )
        batches[role] = {"previewed": previewed, "committed": committed}
    town = Town.objects.filter(area__code="kfq").order_by("pk").first()
    assert town is not None
    return MatrixWorld(actors, scope, town.code, batches)


@pytest.fixture(scope="module")
def module_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The world is built once per module inside a transaction rolled back at the end; each test runs
    in a savepoint on top (pytest-django's ``db``), and each role's call in one more."""
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(module_world: MatrixWorld, db: Any) -> MatrixWorld:
    return module_world


def operations_by_key() -> dict[tuple[str, str], Operation]:
    return {op.key: op for op in served_operations()}


def path_values(world: MatrixWorld, operation: Operation, role: str) -> dict[str, Any]:
    """The world's records; an import batch is the acting role's own (a preview, or a committed one
    for revert)."""
    batches = world.batches.get(role) or world.batches["city_admin"]
    state = "committed" if operation.path.endswith("/revert") else "previewed"
    return shared_path_values(world, operation, {"import_batch": batches[state]})


# --------------------------------------------------------------------------- outcomes

INPUT_REFUSED = (400, 409, 422)


def outcome(status: int) -> str:
    if 200 <= status < 300:
        return ALLOWED
    return {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, f"status {status}")


def matches(expected: str, status: int) -> bool:
    if expected == PERMITTED:
        return 200 <= status < 300 or status in INPUT_REFUSED
    return outcome(status) == expected


def observe(client: Any, world: MatrixWorld, operation: Operation) -> dict[str, tuple[int, str]]:
    """Each role's (status, short detail), every call rolled back."""
    got: dict[str, tuple[int, str]] = {}
    for role in API_ROLES:
        url = operation.url(path_values(world, operation, role)) + QUERIES.get(operation.key, "")
        with transaction.atomic():
            try:
                response = call(client, operation, url, world.actors.tokens[role], body_for(world, operation))
                status, detail = response.status_code, _detail(response)
            except Exception as exc:  # a 5xx: reported with the other roles' outcomes
                status, detail = 500, f"{type(exc).__name__}: {exc}"
            transaction.set_rollback(True)
        got[role] = (status, detail)
    return got


def _detail(response: Any) -> str:
    if response.status_code < 300 or "json" not in response.get("Content-Type", ""):
        return ""
    try:
        return str(response.json().get("detail", ""))[:160]
    except ValueError:
        return ""


# --------------------------------------------------------------------------- the tests


def test_every_api_operation_has_a_declared_policy():
    missing = sorted(set(operations_by_key()) - set(API_POLICY))
    assert not missing, f"API operations without an entry in core/access_policy.py API_POLICY: {missing}"


def test_the_api_policy_names_only_operations_that_exist():
    stale = sorted(set(API_POLICY) - set(operations_by_key()))
    assert not stale, f"API_POLICY entries for operations that no longer exist: {stale}"


def test_every_api_policy_entry_names_every_role():
    wrong = {key: sorted(set(API_ROLES) ^ set(rule.expect)) for key, rule in API_POLICY.items()}
    assert not {k: v for k, v in wrong.items() if v}, wrong


@pytest.mark.parametrize("key", sorted(API_POLICY), ids=lambda key: f"{key[0]} {key[1]}")
def test_each_role_gets_what_the_api_policy_declares(client, world, key):
    operation = operations_by_key().get(key)
    if operation is None:
        pytest.fail(f"{key} is not an operation of the served API (see the stale-entry test)")
    expect = API_POLICY[key].expect
    got = observe(client, world, operation)
    wrong = {
        role: f"{outcome(status)} ({status}{': ' + detail if detail else ''}), expected {expect[role]}"
        for role, (status, detail) in got.items()
        if not matches(expect[role], status)
    }
    assert not wrong, f"{key[0]} {key[1]}:\n" + "\n".join(f"  {r}: {w}" for r, w in wrong.items())


def test_allowed_writes_really_write_for_the_city_admin(client, world):
    """A sanity check of the harness: the office's ALLOWED write lands (inside the savepoint)."""
    from semicluster.finance.models import FinancingNeed

    operation = operations_by_key()[("PATCH", "/api/finance/needs/{need_id}")]
    need = world.record("financing_need")
    url = operation.url({"need_id": need.pk})
    with transaction.atomic():
        response = call(client, operation, url, world.actors.tokens["city_admin"], body_for(world, operation))
        assert response.status_code == 200, response.content
        assert FinancingNeed.objects.get(pk=need.pk).purpose == "设备更新（测试）"
        transaction.set_rollback(True)
    assert FinancingNeed.objects.get(pk=need.pk).purpose == need.purpose
