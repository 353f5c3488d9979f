"""Object-level scoping (SPEC §1, ADR 0003): another scope's record is never readable nor changeable.

For every model declaring ``SCOPE_AREA``, ``SCOPE_ENTERPRISE`` or ``SCOPE_UNIT`` (found through
``apps.get_models()``; a scoped model without an entry in ``FACTORIES`` fails here, so a new one must be
added), one record is made in ANOTHER scope than the acting users' — the gxq area, a gxq firm, the unit
kjj, with fgw not even a co-unit (``access_world.build_scope``). Then, as the district officer (kfq),
the unit officer (fgw) and the enterprise user (a kfq firm):

* selectors: ``visible_to`` does not return it and ``get_visible_or_404`` raises Http404;
* every UI URL that takes its id (``UI_URLS``; the URL resolver's parameterised URLs must each be there
  or in ``UNSCOPED_URLS``) is asked with GET and POST: a GET answers what ``POLICY`` declares for a
  role of another scope (404, or 403 where the role may not use the page at all); everything else
  answers 404 or 403 (405 for a method the view refuses) — and exactly what a non-existent id gets,
  so the answer tells nothing about the record;
* every API operation that takes its id (found in the served OpenAPI document through the path
  parameter → record table of ``access_world``) answers 404 — or 403 where ``API_POLICY`` refuses the
  role the operation anyway — again exactly what a non-existent id gets. Write operations get the
  same valid bodies as the API matrix, so the answer comes from the view, not the schema;
* afterwards every record of the other scope is unchanged (``values()`` of its row, before and after)
  and no table gained or lost a row, but the log of denied requests.

Models without any UI or API endpoint are checked at the selector level. Where the app deliberately
lets a role read every record of a model (``READS_ALL``: district officers read every task, report and
escalation), the endpoints are not expected to hide it and only the selector level is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.http import Http404
from django.test import Client
from django.urls import reverse

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.core.access_policy import API_POLICY, FORBIDDEN, NOT_FOUND, POLICY
from semicluster.core.testing import make_enterprise, rolled_back, table_counts
from semicluster.core.tests.access_world import (
    Actors,
    Operation,
    Scope,
    World,
    body_for,
    build_actors,
    build_scope,
    call,
    record_name,
    served_operations,
)
from semicluster.core.tests.access_world import path_values as api_path_values
from semicluster.core.tests.test_access_matrix import all_named_urls
from semicluster.plans.models import Town

ACTING_ROLES = ("district_officer", "unit_officer", "enterprise_user")
# The acting role's column in POLICY, whose samples sit in kfq for another firm and another unit: the
# kfq officer meeting a gxq record is what POLICY's gxq officer is to a kfq one.
POLICY_COLUMN = {
    "district_officer": "gxq_officer",
    "unit_officer": "unit_officer",
    "enterprise_user": "enterprise_user",
}
MISSING = 2_000_000_000  # an id no record has

# Scoped model → the record of access_world.build_scope that is one of it.
FACTORIES: dict[str, str] = {
    "enterprises.Enterprise": "enterprise",
    "enterprises.PeriodValue": "period_value",
    "enterprises.Designation": "designation",
    "accountability.WorkItem": "work_item",
    "accountability.ProgressUpdate": "progress_update",
    "accountability.Escalation": "escalation",
    "chain.InvestmentTarget": "target",
    "chain.TargetStep": "target_step",
    "chain.ChainCommunity": "community",
    "cultivation.LeaderCandidate": "candidate",
    "cultivation.LeaderMember": "leader_member",
    "cultivation.ExitFlag": "exit_flag",
    "finance.FinancingNeed": "financing_need",
    "finance.ListingRecord": "listing",
    "innovation.RDProject": "rd_project",
    "projects.Project": "project",
    "projects.AnnualPlan": "annual_plan",
    "projects.ProgressReport": "progress_report",
    "projects.Problem": "problem_open",
    "projects.Ticket": "ticket",
    "projects.TicketReply": "ticket_reply",
    "projects.LightChange": "light_change",
    "supply.SupplyAnswer": "supply_answer",
    "support.Application": "application",
    "support.CostItem": "cost_item",
    "support.Attachment": "attachment",
    "support.Step": "step",
    "support.LedgerEntry": "ledger_entry",
}
# Scoped by other means than the SCOPE_* paths, checked all the same (selector: the app's own).
OWN_SCOPING: dict[str, str] = {"intake.ImportBatch": "import_batch"}  # a batch is its uploader's

READS_ALL: dict[tuple[str, str], str] = {
    (
        "accountability.WorkItem",
        "district_officer",
    ): "docs/guide/accountability.md: district officers read all",
    ("accountability.ProgressUpdate", "district_officer"): "reports on items they read (all)",
    ("accountability.Escalation", "district_officer"): "docs/guide/accountability.md: they read all",
}

# UI URL name → its arguments, each naming the record of the other scope it is filled with.
UI_URLS: dict[str, dict[str, str]] = {
    "enterprises:detail": {"pk": "enterprise"},
    "accountability:item": {"pk": "work_item"},
    "accountability:item_edit": {"pk": "work_item"},
    "accountability:report": {"pk": "work_item"},
    "accountability:decompose": {"pk": "work_item"},
    "accountability:evidence": {"pk": "progress_update"},
    "accountability:reply": {"pk": "escalation"},
    "chain:target_detail": {"pk": "target"},
    "chain:target_edit": {"pk": "target"},
    "chain:target_advance": {"pk": "target"},
    "chain:target_land": {"pk": "target_signed"},
    "chain:community_detail": {"pk": "community"},
    "cultivation:designation_edit": {"pk": "designation"},
    "cultivation:candidate": {"pk": "candidate"},
    "cultivation:candidate_adjust": {"pk": "candidate"},
    "cultivation:candidate_decide": {"pk": "candidate"},
    "cultivation:flag_resolve": {"pk": "exit_flag"},
    "finance:need_edit": {"pk": "financing_need"},
    "finance:listing_edit": {"pk": "listing"},
    "innovation:project_edit": {"pk": "rd_project"},
    "intake:batch": {"pk": "import_batch"},
    "intake:commit": {"pk": "import_batch"},
    "intake:revert": {"pk": "import_batch"},
    "intake:errors": {"pk": "import_batch"},
    "projects:detail": {"pk": "project"},
    "projects:edit": {"pk": "project"},
    "projects:transition": {"pk": "project"},
    "projects:progress": {"pk": "project"},
    "projects:problem_add": {"pk": "project"},
    "projects:problem_resolve": {"pk": "problem_open"},
    "projects:ticket": {"pk": "ticket"},
    "supply:answer_edit": {"pk": "supply_answer"},
    "supply:answer_delete": {"pk": "supply_answer"},
    "support:detail": {"pk": "application"},
    "support:edit": {"pk": "application"},
    "support:submit": {"pk": "application"},
    "support:pre_review": {"pk": "application_submitted"},
    "support:review": {"pk": "application_pre_reviewed"},
    "support:decide": {"pk": "application_reviewed"},
    "support:override": {"pk": "application_reviewed"},
    "support:disburse": {"pk": "application_approved"},
    "support:attachment_add": {"pk": "application"},
    "support:attachment": {"pk": "application", "attachment_pk": "attachment"},
    "support:attachment_remove": {"pk": "application", "attachment_pk": "attachment"},
}
# URLs with arguments that name no scoped record (namespace prefixes end in ":").
UNSCOPED_URLS: dict[str, str] = {
    "accountability:bulletin": "issued bulletins go to every government role",
    "accountability:bulletin_download": "issued bulletins go to every government role",
    "accountability:meeting": "leading-group meetings are not scoped",
    "accountability:track": "meeting decisions are not scoped",
    "chain:node": "a chain node (reference data)",
    "cultivation:round_detail": "evaluation rounds are city-wide (candidates listed are scoped)",
    "cultivation:round_score": "evaluation rounds are city-wide",
    "cultivation:round_publish": "evaluation rounds are city-wide",
    "cultivation:apply": "evaluation rounds are city-wide",
    "cultivation:review_detail": "annual reviews are city-wide (flags listed are scoped)",
    "innovation:platform_detail": "platforms are reference data",
    "intake:template": "a dataset's template",
    "intake:export_enterprises": "an export format (rows scoped by role)",
    "monitoring:drilldown": "a figure's breakdown; an area's is 404 to other areas (POLICY)",
    "monitoring:drilldown-city": "the city figure's breakdown",
    "plans:version": "plan versions are public to signed-in users",
    "portal:": "the public portal",
    "reports:": "annual report editions, role-gated (POLICY)",
}
DENIED_LOG = {"core.SecurityEvent"}  # DeniedRequestLogMiddleware records every refused request


def scoped_models() -> list[str]:
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if any(getattr(model, name, None) for name in ("SCOPE_AREA", "SCOPE_ENTERPRISE", "SCOPE_UNIT"))
    )


# --------------------------------------------------------------------------- the world


@dataclass
class ScopingWorld:
    actors: Actors
    other: Scope  # the records of another scope than every acting user's
    world: World  # the same, as the API bodies and path parameters see it


def build() -> ScopingWorld:
    own_firm = make_enterprise(area="kfq", node="display-driver-ic")
    actors = build_actors(firm=own_firm, area="kfq", unit="fgw")
    admin = actors.users["city_admin"]
    assert admin is not None
    other_firm = make_enterprise(area="gxq", node="display-driver-ic")
    other = build_scope(admin=admin, area="gxq", unit="kjj", firm=other_firm, avoid_unit="fgw")
    town = Town.objects.filter(area__code="gxq").order_by("pk").first()
    assert town is not None
    return ScopingWorld(actors, other, World(actors, other, town.code))


@pytest.fixture(scope="module")
def module_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with rolled_back(django_db_blocker):
        yield build()


@pytest.fixture
def world(module_world: ScopingWorld, db: Any) -> ScopingWorld:
    return module_world


# --------------------------------------------------------------------------- what takes whose id


def _label(record: Any) -> str:
    return type(record)._meta.label


def ui_urls_for(label: str, other: Scope) -> list[str]:
    return sorted(
        name for name, args in UI_URLS.items() if any(_label(other[r]) == label for r in args.values())
    )


def api_operations_for(label: str, other: Scope) -> list[Operation]:
    found = []
    for operation in served_operations():
        names = [record_name(operation, param) for param in operation.params]
        if any(name and _label(other[name]) == label for name in names):
            found.append(operation)
    return found


def snapshot(other: Scope) -> dict[str, Any]:
    rows = {
        name: list(type(record)._base_manager.filter(pk=record.pk).values())
        for name, record in other.records.items()
    }
    counts = {label: n for label, n in table_counts().items() if label not in DENIED_LOG}
    return {"rows": rows, "counts": counts}


# --------------------------------------------------------------------------- completeness


def test_every_scoped_model_has_a_factory():
    missing = sorted(set(scoped_models()) - set(FACTORIES))
    assert not missing, f"scoped models without a factory in test_object_scoping.FACTORIES: {missing}"
    stale = sorted(set(FACTORIES) - set(scoped_models()))
    assert not stale, f"FACTORIES names models that are no longer scoped: {stale}"


def test_every_url_with_arguments_is_mapped_to_its_record_or_declared_unscoped():
    with_args = {name for name, params in all_named_urls().items() if params}
    unscoped = {
        name for name in with_args if name in UNSCOPED_URLS or name.split(":")[0] + ":" in UNSCOPED_URLS
    }
    missing = sorted(with_args - set(UI_URLS) - unscoped)
    assert not missing, f"URLs taking an id: map them in UI_URLS or declare them in UNSCOPED_URLS: {missing}"
    stale = sorted(set(UI_URLS) - with_args)
    assert not stale, f"UI_URLS names URLs that no longer exist: {stale}"


def test_every_api_operation_with_a_record_parameter_names_a_known_record(world):
    for operation in served_operations():
        for param in operation.params:
            name = record_name(operation, param)  # fails for an unknown parameter
            assert name is None or name in world.other.records, (operation.key, param, name)


# --------------------------------------------------------------------------- the checks


def _expected_get(name: str, role: str) -> str | None:
    """What POLICY declares for a GET of this page by a role of another scope (None: not declared)."""
    rule = POLICY.get(name)
    if rule is None or rule.skip_reason or rule.method != "get":
        return None
    expected = rule.expect[POLICY_COLUMN[role]]
    assert expected in (NOT_FOUND, FORBIDDEN), (
        f"POLICY lets {POLICY_COLUMN[role]} open {name} on another scope's record: {expected}"
    )
    return expected


STATUS = {NOT_FOUND: 404, FORBIDDEN: 403}


def check_ui(client: Client, other: Scope, label: str, role: str) -> list[str]:
    wrong = []
    for name in ui_urls_for(label, other):
        args = UI_URLS[name]
        url = reverse(name, kwargs={arg: other[record].pk for arg, record in args.items()})
        missing_url = reverse(name, kwargs=dict.fromkeys(args, MISSING))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            missing = getattr(client, method)(missing_url).status_code
            declared = _expected_get(name, role) if method == "get" else None
            if declared is not None and status != STATUS[declared]:
                wrong.append(f"UI {method.upper()} {name}: {status}, POLICY declares {declared}")
            elif status not in (403, 404, 405) or status != missing:
                wrong.append(f"UI {method.upper()} {name}: {status} (a non-existent id: {missing})")
    return wrong


def check_api(client: Client, world: ScopingWorld, label: str, role: str) -> list[str]:
    wrong = []
    token = world.actors.tokens[role]
    for operation in api_operations_for(label, world.other):
        url = operation.url(api_path_values(world.world, operation))
        missing_values = {
            param: (MISSING if record_name(operation, param) else value)
            for param, value in api_path_values(world.world, operation).items()
        }
        status = call(client, operation, url, token, body_for(world.world, operation)).status_code
        missing = call(
            client, operation, operation.url(missing_values), token, body_for(world.world, operation)
        ).status_code
        refused = API_POLICY[operation.key].expect[role] == FORBIDDEN
        if status != missing or status not in ((403, 404) if refused else (404,)):
            wrong.append(f"API {operation.method} {operation.path}: {status} (a non-existent id: {missing})")
    return wrong


CASES = [(label, role) for label in [*scoped_models(), *OWN_SCOPING] for role in ACTING_ROLES]


@pytest.mark.parametrize(("label", "role"), CASES, ids=[f"{label}-{role}" for label, role in CASES])
def test_another_scopes_record_is_not_found_and_stays_unchanged(
    client: Client, world: ScopingWorld, label: str, role: str
) -> None:
    name = FACTORIES.get(label) or OWN_SCOPING.get(label)
    assert name, f"{label} is scoped but has no factory (FACTORIES)"
    record = world.other[name]
    model: type[Model] = type(record)
    user = world.actors.users[role]
    assert user is not None

    # selectors
    if label in OWN_SCOPING:
        from semicluster.intake import selectors as intake

        assert not intake.batch_list(user=user).filter(pk=record.pk).exists()
        with pytest.raises(Http404):
            intake.batch_detail(user=user, pk=record.pk)
    else:
        assert not visible_to(model._default_manager.filter(pk=record.pk), user).exists()
        with pytest.raises(Http404):
            get_visible_or_404(model._default_manager.all(), user, pk=record.pk)

    if (label, role) in READS_ALL:
        return  # the endpoints show it by design (READS_ALL); the selector level is what holds

    # the UI (session) and the API (bearer token)
    client.force_login(user)
    before = snapshot(world.other)
    wrong = check_ui(client, world.other, label, role) + check_api(client, world, label, role)
    after = snapshot(world.other)
    assert not wrong, f"{label} of another scope, as the {role}:\n  " + "\n  ".join(wrong)
    changed = sorted(n for n in before["rows"] if before["rows"][n] != after["rows"][n])
    assert not changed, f"records of another scope changed: {changed}"
    counts = {k: (v, after["counts"][k]) for k, v in before["counts"].items() if v != after["counts"][k]}
    assert not counts, f"rows written or deleted: {counts}"


def test_the_models_with_endpoints_are_the_ones_expected(world):
    """A guard against the mapping silently covering nothing: the main records have both UI and API."""
    for label in ("enterprises.Enterprise", "projects.Project", "support.Application", "supply.SupplyAnswer"):
        assert ui_urls_for(label, world.other) and api_operations_for(label, world.other), label
