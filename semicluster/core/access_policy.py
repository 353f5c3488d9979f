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


def government(**overrides: str) -> dict[str, str]:
    """Government roles only: enterprise users get 403 (SPEC §1: firms see only their own records)."""
    return everyone_signed_in(**({"enterprise_user": FORBIDDEN} | overrides))


def admin_only() -> dict[str, str]:
    """The leading-group office's own work (configure, approve, publish)."""
    return city_only(leader=FORBIDDEN)


def kfq_object_form(**overrides: str) -> dict[str, str]:
    """The write form of an object in the kfq area: the office and the kfq officer; leaders read only (403);
    other scopes do not learn that it exists (404)."""
    expect = area_scoped_object()
    expect["leader"] = FORBIDDEN
    expect.update(overrides)
    return expect


def new_record_form(**overrides: str) -> dict[str, str]:
    """A create form for records district officers keep for their area and firms for themselves; leaders and
    unit officers may not write them."""
    return everyone_signed_in(**({"leader": FORBIDDEN, "unit_officer": FORBIDDEN} | overrides))


def post_only(test: str) -> Rule:
    """A POST-only action: GET answers 405, so the matrix names the app test that checks who may post."""
    return Rule(everyone_signed_in(), skip_reason=f"POST-only action; who may post is checked in {test}")


def _internal_report() -> dict[str, str]:
    """The internal edition of the annual report: the office and leaders only (it names enterprises)."""
    return {role: NOT_FOUND for role in ROLES} | {"anonymous": LOGIN, "city_admin": OK, "leader": OK}


POLICY: dict[str, Rule] = {
    # --- foundation: home, health, log-in, plan, enterprise library
    "core:home": Rule(everyone_signed_in()),
    "core:health": Rule(public()),
    "accounts:login": Rule(public()),
    "accounts:logout": Rule(everyone_signed_in(), skip_reason="POST-only; exercised by the login tests"),
    "accounts:tokens": Rule(everyone_signed_in()),
    "accounts:two_factor": Rule(everyone_signed_in()),
    "plans:overview": Rule(everyone_signed_in()),
    "plans:version": Rule(everyone_signed_in(), sample="plan_version"),
    "plans:schema": Rule(public()),
    "enterprises:list": Rule(everyone_signed_in()),
    "enterprises:detail": Rule(area_scoped_object(), sample="enterprise"),
    # --- accountability (任务责任): docs/guide/accountability.md "Who sees what". Government roles read the
    # task list, meetings and issued bulletins; a unit officer reads its own unit's tasks (404 for another
    # unit's); enterprise users have no task pages (403); decomposing and assessment are the office's.
    "accountability:items": Rule(government()),
    "accountability:sync": post_only("accountability/tests/test_work_items.py"),
    "accountability:item": Rule(government(unit_officer=NOT_FOUND), sample="work_item"),
    "accountability:report": post_only("accountability/tests/test_views.py"),
    "accountability:decompose": Rule(admin_only(), sample="work_item"),
    "accountability:item_edit": Rule(admin_only(), sample="work_item"),
    "accountability:evidence": Rule(
        government(unit_officer=NOT_FOUND),
        skip_reason="evidence file download; checked in accountability/tests/test_evidence_api.py",
    ),
    "accountability:silent": Rule(government()),
    "accountability:escalate": post_only("accountability/tests/test_escalation.py"),
    "accountability:reply": post_only("accountability/tests/test_escalation.py"),
    "accountability:meetings": Rule(government()),
    "accountability:meeting": Rule(government(), sample="meeting"),
    "accountability:track": post_only("accountability/tests/test_views.py"),
    "accountability:bulletins": Rule(government()),
    "accountability:bulletin": Rule(government(), sample="bulletin"),
    "accountability:bulletin_download": Rule(government(), sample="bulletin_docx"),
    "accountability:assessment": Rule(city_only()),
    "accountability:assessment_export": Rule(city_only()),
    # --- chain (招商图谱, targets, communities): government roles only (docs/guide/chain.md); targets and
    # communities are area-scoped (a target also to its responsible unit); leaders read, never write.
    "chain:map": Rule(government()),
    "chain:node": Rule(government(), sample="chain_node"),
    "chain:targets": Rule(government()),
    "chain:target_new": Rule(government(leader=FORBIDDEN)),
    "chain:target_detail": Rule(area_scoped_object() | {"enterprise_user": FORBIDDEN}, sample="target"),
    "chain:target_edit": Rule(kfq_object_form(enterprise_user=FORBIDDEN), sample="target"),
    # GET only redirects to the target's page (the step is a POST, see chain/tests/test_pipeline.py)
    "chain:target_advance": Rule(area_scoped_object() | {"enterprise_user": FORBIDDEN}, sample="target"),
    "chain:target_land": Rule(kfq_object_form(enterprise_user=FORBIDDEN), sample="target"),
    "chain:pipeline": Rule(government()),
    "chain:gaps": Rule(government()),
    "chain:communities": Rule(government()),
    "chain:community_detail": Rule(area_scoped_object() | {"enterprise_user": FORBIDDEN}, sample="community"),
    "chain:layout": Rule(government()),
    # --- cultivation (梯队培育, designations, the innovation-leader library): lists are readable by every
    # signed-in role, each scoped by selectors; designations are kept by the office and district officers;
    # firms apply and officers propose; scoring, admission and exits are the office's (POST actions).
    "cultivation:tiers": Rule(everyone_signed_in()),
    "cultivation:watch": Rule(everyone_signed_in()),
    "cultivation:designations": Rule(everyone_signed_in()),
    "cultivation:designation_grant": Rule(
        everyone_signed_in(leader=FORBIDDEN, unit_officer=FORBIDDEN, enterprise_user=FORBIDDEN)
    ),
    "cultivation:designation_edit": Rule(kfq_object_form(), sample="designation"),
    "cultivation:library": Rule(everyone_signed_in()),
    "cultivation:rounds": Rule(everyone_signed_in()),
    "cultivation:round_detail": Rule(everyone_signed_in(), sample="round"),
    "cultivation:round_score": post_only("cultivation/tests/test_views.py"),
    "cultivation:round_publish": post_only("cultivation/tests/test_views.py"),
    "cultivation:apply": Rule(new_record_form(), sample="round"),
    "cultivation:candidate": Rule(area_scoped_object(), sample="candidate"),
    "cultivation:candidate_adjust": post_only("cultivation/tests/test_views.py"),
    "cultivation:candidate_decide": post_only("cultivation/tests/test_views.py"),
    "cultivation:reviews": Rule(everyone_signed_in()),
    "cultivation:review_detail": Rule(everyone_signed_in(), sample="review"),  # flags listed are scoped
    "cultivation:flag_resolve": post_only("cultivation/tests/test_library_workflow.py"),
    # --- finance (融资需求, 上市梯队): firms file their own needs; the listing pipeline is kept by officers.
    # Unit officers of the units the plan names for 三、2 (地方金融 and co-units) read every record but write
    # none; the matrix's unit officer (fgw) is not one of them, so a kfq record is a 404 to it.
    "finance:index": Rule(everyone_signed_in()),  # redirects to the needs list
    "finance:needs": Rule(everyone_signed_in()),
    "finance:need_new": Rule(new_record_form()),
    "finance:need_edit": Rule(kfq_object_form(), sample="financing_need"),
    "finance:listings": Rule(everyone_signed_in()),
    "finance:listing_new": Rule(new_record_form(enterprise_user=FORBIDDEN)),
    "finance:listing_edit": Rule(kfq_object_form(), sample="listing"),
    # --- innovation (R&D projects, platforms): platforms are reference data everyone reads.
    "innovation:coverage": Rule(everyone_signed_in()),
    "innovation:projects": Rule(everyone_signed_in()),
    "innovation:project_new": Rule(new_record_form()),
    "innovation:project_edit": Rule(kfq_object_form(), sample="rd_project"),
    "innovation:platforms": Rule(everyone_signed_in()),
    "innovation:platform_detail": Rule(everyone_signed_in(), sample="platform"),
    # --- intake (imports): roles with an importable dataset; a batch is its uploader's (and the office's):
    # anyone else's is 404 (docs/guide/intake.md).
    "intake:home": Rule(new_record_form()),
    "intake:upload": post_only("intake/tests/test_views.py"),
    "intake:batches": Rule(new_record_form()),
    "intake:batch": Rule(
        {role: NOT_FOUND for role in ROLES} | {"anonymous": LOGIN, "city_admin": OK}, sample="batch"
    ),
    "intake:commit": post_only("intake/tests/test_views.py"),
    "intake:revert": post_only("intake/tests/test_views.py"),
    "intake:errors": Rule(
        everyone_signed_in(),
        skip_reason="download of a previewed batch's error workbook; checked in intake/tests/test_views.py",
    ),
    # A template of a dataset the role may not import is "no such dataset" (404), like the API.
    "intake:template": Rule(
        new_record_form(leader=NOT_FOUND, unit_officer=NOT_FOUND), sample="dataset_template"
    ),
    "intake:export_enterprises": Rule(everyone_signed_in(), sample="export_xlsx"),  # rows scoped by role
    # --- monitoring (驾驶舱): city roles and district officers; other roles have no cockpit (404 by design,
    # monitoring.selectors.require_cockpit). A district officer opening another area's breakdown: 404.
    "monitoring:cockpit": Rule(everyone_signed_in(unit_officer=NOT_FOUND, enterprise_user=NOT_FOUND)),
    "monitoring:drilldown-city": Rule(
        everyone_signed_in(unit_officer=NOT_FOUND, enterprise_user=NOT_FOUND), sample="drilldown_city"
    ),
    "monitoring:drilldown": Rule(area_scoped_object(), sample="drilldown_kfq"),
    # --- portal (/public/…): published public reports and open data, for everyone, no log-in.
    "portal:home": Rule(public()),
    "portal:report": Rule(public(), sample="public_report_year"),
    "portal:report_version": Rule(public(), sample="public_report_version"),
    "portal:download": Rule(public(), sample="public_report_pdf"),
    "portal:data": Rule(public()),
    "portal:methodology": Rule(public()),
    "portal:opendata": Rule(public()),
    "portal:datapackage": Rule(public()),
    "portal:catalog": Rule(public()),
    "portal:csv": Rule(public(), sample="opendata_csv"),
    # --- projects (重大项目库): area-, owner- and unit-scoped; district officers keep their area's projects.
    "projects:list": Rule(everyone_signed_in()),
    "projects:board": Rule(everyone_signed_in()),
    "projects:cohorts": Rule(everyone_signed_in()),
    "projects:create": Rule(new_record_form(enterprise_user=FORBIDDEN)),
    "projects:detail": Rule(area_scoped_object(), sample="project"),
    "projects:edit": Rule(kfq_object_form(), sample="project"),
    "projects:transition": Rule(kfq_object_form(), sample="project"),
    "projects:progress": Rule(kfq_object_form(), sample="project"),
    "projects:problem_add": post_only("projects/tests/test_views.py"),
    "projects:problem_resolve": post_only("projects/tests/test_views.py"),
    "projects:tickets": Rule(everyone_signed_in()),
    "projects:ticket": Rule(area_scoped_object(), sample="ticket"),
    # --- reports (annual monitoring report): the office and leaders work on both editions; district and
    # unit officers read the public edition only; enterprise users have no report pages (404 by design,
    # docs/guide/reports.md). Samples are the internal edition.
    "reports:list": Rule(everyone_signed_in(enterprise_user=NOT_FOUND)),
    "reports:detail": Rule(_internal_report(), sample="report"),
    "reports:edit": post_only("reports/tests/test_views.py"),
    "reports:transition": post_only("reports/tests/test_views.py"),
    "reports:download": Rule(_internal_report(), sample="report_docx"),
    "reports:version_download": Rule(_internal_report(), sample="report_version_docx"),
    # --- supply (供应链调查): firms answer for themselves, officers for their area; the analysis and the
    # network are government pages.
    "supply:analysis": Rule(government()),
    "supply:answers": Rule(everyone_signed_in()),
    "supply:answer_new": Rule(new_record_form()),
    "supply:answer_edit": Rule(kfq_object_form(), sample="supply_answer"),
    "supply:answer_delete": Rule(kfq_object_form(), sample="supply_answer"),  # GET: the confirmation
    "supply:network": Rule(government()),
    # --- support (流片补贴 applications): only enterprise users apply and edit their drafts (the office may
    # correct); officers pre-review their area's; workflow steps are POST actions.
    "support:list": Rule(everyone_signed_in()),
    "support:create": Rule({role: FORBIDDEN for role in ROLES} | {"anonymous": LOGIN, "enterprise_user": OK}),
    "support:ledger": Rule(government()),
    "support:detail": Rule(area_scoped_object(), sample="application"),
    "support:edit": Rule(kfq_object_form(kfq_officer=FORBIDDEN), sample="application"),
    "support:submit": post_only("support/tests/test_views.py"),
    "support:pre_review": post_only("support/tests/test_views.py"),
    "support:review": post_only("support/tests/test_views.py"),
    "support:decide": post_only("support/tests/test_views.py"),
    "support:override": post_only("support/tests/test_views.py"),
    "support:disburse": post_only("support/tests/test_views.py"),
    "support:attachment_add": post_only("support/tests/test_views.py"),
    "support:attachment": Rule(area_scoped_object(), sample="attachment"),
    "support:attachment_remove": post_only("support/tests/test_views.py"),
}


# ======================================================================================================
# API_POLICY — the REST API, operation by operation (checked by core/tests/test_api_access_matrix.py)
# ======================================================================================================
# One entry per operation of the served OpenAPI document, keyed by (HTTP method, path template as the
# document spells it). The roles are SPEC §1's, one of each: the district officer acts for kfq, the
# unit officer for fgw, the enterprise user for a kfq firm; the test fills path parameters with records
# in exactly that scope (so ALLOWED means "may read/change its own record"; NOT_FOUND means the role
# has no scope on that kind of record). Another scope's records: core/tests/test_object_scoping.py.
#
# Outcomes: ALLOWED (2xx), UNAUTHORIZED (401), FORBIDDEN (403), NOT_FOUND (404), and PERMITTED for a
# write whose valid body is impractical in a fixed test world: it passes the permission layer (no
# 401/403/404; a 2xx or a 400/409/422 refusal of the input).

ALLOWED = "allowed"
UNAUTHORIZED = "unauthorized"
PERMITTED = "permitted"

API_ROLES = ("anonymous", "city_admin", "leader", "district_officer", "unit_officer", "enterprise_user")


@dataclass(frozen=True)
class ApiRule:
    expect: dict[str, str]
    note: str = ""


def _api(default: str, **overrides: str) -> dict[str, str]:
    expect = {role: default for role in API_ROLES}
    expect["anonymous"] = UNAUTHORIZED  # no operation is public (core/tests/test_api_anonymous.py)
    expect.update(overrides)
    return expect


def api_signed_in(**overrides: str) -> dict[str, str]:
    """Every signed-in role (lists are scoped by the selectors, reference data is everyone's)."""
    return _api(ALLOWED, **overrides)


def api_government(**overrides: str) -> dict[str, str]:
    """Government roles; enterprise users 403 (tasks, the chain and investment leads, analyses)."""
    return _api(ALLOWED, enterprise_user=FORBIDDEN, **overrides)


def api_city(**overrides: str) -> dict[str, str]:
    """The office and city leaders only."""
    return _api(FORBIDDEN, city_admin=ALLOWED, leader=ALLOWED, **overrides)


def api_office(**overrides: str) -> dict[str, str]:
    """The leading-group office's own work (configure, score, decide, issue)."""
    return _api(FORBIDDEN, city_admin=ALLOWED, **overrides)


def api_firm_record(**overrides: str) -> dict[str, str]:
    """A record scoped by area and firm, without a unit scope: the unit officer has none of them (404)."""
    return _api(ALLOWED, unit_officer=NOT_FOUND, **overrides)


def api_firm_write(**overrides: str) -> dict[str, str]:
    """A write on such a record (or naming such a firm in the body): the office, the area's officer and
    the firm itself; leaders read only (403); the unit officer sees no firm (404)."""
    return _api(ALLOWED, leader=FORBIDDEN, unit_officer=NOT_FOUND, **overrides)


def api_project_write(**overrides: str) -> dict[str, str]:
    """A write on the project library: the office, the area's officer and the responsible unit; leaders
    read only; the owner firm reads its projects but does not edit them (ENTERPRISE_MAY_WRITE = False)."""
    return _api(ALLOWED, leader=FORBIDDEN, enterprise_user=FORBIDDEN, **overrides)


API_POLICY: dict[tuple[str, str], ApiRule] = {
    # --- enterprises: the library is read by every role within its scope; unit officers have no firms.
    ("GET", "/api/enterprises/"): ApiRule(api_signed_in()),
    ("POST", "/api/enterprises/"): ApiRule(api_office(district_officer=ALLOWED)),
    ("GET", "/api/enterprises/areas"): ApiRule(api_signed_in()),
    ("GET", "/api/enterprises/{enterprise_id}"): ApiRule(api_firm_record()),
    ("PATCH", "/api/enterprises/{enterprise_id}"): ApiRule(
        api_firm_write(),
        note="a firm may correct its own register entry (can_write: SCOPE_ENTERPRISE) but not move it: "
        "town and chain nodes are refused (enterprises/tests/test_api.py)",
    ),
    ("GET", "/api/enterprises/{enterprise_id}/values"): ApiRule(api_firm_record()),
    ("PUT", "/api/enterprises/{enterprise_id}/values"): ApiRule(
        api_firm_write(), note="firms report their figures"
    ),
    ("GET", "/api/enterprises/{enterprise_id}/designations"): ApiRule(api_firm_record()),
    ("POST", "/api/enterprises/{enterprise_id}/designations"): ApiRule(
        api_firm_write(enterprise_user=FORBIDDEN),
        note="designations are recorded by the office and district officers (as the grant page, intake)",
    ),
    # --- tasks (accountability): government roles; a unit officer reads its unit's items and reports on
    # the items its unit leads; the office issues escalations; only the office and leaders see assessment.
    ("GET", "/api/tasks/items"): ApiRule(api_government()),
    ("GET", "/api/tasks/items/{item_id}"): ApiRule(api_government()),
    ("GET", "/api/tasks/items/{item_id}/updates"): ApiRule(api_government()),
    ("POST", "/api/tasks/items/{item_id}/updates"): ApiRule(api_office(unit_officer=ALLOWED)),
    ("POST", "/api/tasks/items/{item_id}/updates/with-evidence"): ApiRule(api_office(unit_officer=ALLOWED)),
    ("GET", "/api/tasks/updates/{update_id}/evidence"): ApiRule(api_government()),
    ("GET", "/api/tasks/silent"): ApiRule(api_government()),
    ("GET", "/api/tasks/escalations"): ApiRule(api_government()),
    ("POST", "/api/tasks/escalations/issue"): ApiRule(api_office()),
    ("POST", "/api/tasks/escalations/{escalation_id}/reply"): ApiRule(api_office(unit_officer=ALLOWED)),
    ("GET", "/api/tasks/bulletins"): ApiRule(api_government()),
    ("GET", "/api/tasks/bulletins/{bulletin_id}"): ApiRule(api_government()),
    ("GET", "/api/tasks/assessment"): ApiRule(api_city()),
    # --- chain: government roles; targets are the area's and the responsible unit's; leaders read only.
    ("GET", "/api/chain/nodes"): ApiRule(api_government()),
    ("GET", "/api/chain/targets"): ApiRule(api_government()),
    ("POST", "/api/chain/targets"): ApiRule(api_government(leader=FORBIDDEN)),
    ("GET", "/api/chain/targets/{target_id}"): ApiRule(api_government()),
    ("POST", "/api/chain/targets/{target_id}/advance"): ApiRule(api_government(leader=FORBIDDEN)),
    ("POST", "/api/chain/targets/{target_id}/land"): ApiRule(api_government(leader=FORBIDDEN)),
    ("GET", "/api/chain/gaps"): ApiRule(api_government()),
    ("GET", "/api/chain/layout"): ApiRule(api_government()),
    # --- cultivation: lists for everyone (scoped); designations kept by the office and district
    # officers; firms apply and officers propose; rounds, scores, decisions and reviews are the office's.
    ("GET", "/api/cultivation/crossings"): ApiRule(api_signed_in()),
    ("GET", "/api/cultivation/watch"): ApiRule(api_signed_in()),
    ("GET", "/api/cultivation/designations/expiring"): ApiRule(api_signed_in()),
    ("GET", "/api/cultivation/designations/expired"): ApiRule(api_signed_in()),
    ("PATCH", "/api/cultivation/designations/{designation_id}"): ApiRule(
        api_firm_write(enterprise_user=FORBIDDEN), note="as the designation edit page"
    ),
    ("GET", "/api/cultivation/library/members"): ApiRule(api_signed_in()),
    ("GET", "/api/cultivation/library/progress"): ApiRule(api_signed_in()),
    ("GET", "/api/cultivation/rounds"): ApiRule(api_signed_in()),
    ("POST", "/api/cultivation/rounds"): ApiRule(api_office()),
    ("GET", "/api/cultivation/rounds/{round_id}/candidates"): ApiRule(api_signed_in()),
    ("POST", "/api/cultivation/rounds/{round_id}/candidates"): ApiRule(api_firm_write()),
    ("POST", "/api/cultivation/rounds/{round_id}/score"): ApiRule(api_office()),
    ("POST", "/api/cultivation/rounds/{round_id}/publish"): ApiRule(api_office()),
    ("GET", "/api/cultivation/candidates/{candidate_id}"): ApiRule(api_firm_record()),
    ("POST", "/api/cultivation/candidates/{candidate_id}/adjust"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("POST", "/api/cultivation/candidates/{candidate_id}/decision"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("GET", "/api/cultivation/reviews"): ApiRule(api_signed_in()),
    ("POST", "/api/cultivation/reviews"): ApiRule(api_office()),
    ("GET", "/api/cultivation/reviews/{review_id}/flags"): ApiRule(api_signed_in()),
    ("POST", "/api/cultivation/flags/{flag_id}/resolve"): ApiRule(api_office(unit_officer=NOT_FOUND)),
    # --- finance: firms file their own needs; the listing pipeline is the officers'. The unit officer
    # (fgw) is not one of the 三、2 units (SCOPE_UNIT_CLAUSE), so it has none of these records.
    ("GET", "/api/finance/needs"): ApiRule(api_signed_in()),
    ("POST", "/api/finance/needs"): ApiRule(api_firm_write()),
    ("GET", "/api/finance/needs/{need_id}"): ApiRule(api_firm_record()),
    ("PATCH", "/api/finance/needs/{need_id}"): ApiRule(api_firm_write()),
    ("GET", "/api/finance/listings"): ApiRule(api_signed_in()),
    ("POST", "/api/finance/listings"): ApiRule(api_firm_write(enterprise_user=FORBIDDEN)),
    ("GET", "/api/finance/listings/counts"): ApiRule(api_signed_in()),
    ("GET", "/api/finance/listings/{listing_id}"): ApiRule(api_firm_record()),
    ("PATCH", "/api/finance/listings/{listing_id}"): ApiRule(api_firm_write(enterprise_user=FORBIDDEN)),
    # --- innovation: R&D projects are the area's and the firm's; platforms and coverage are reference data.
    ("GET", "/api/innovation/projects"): ApiRule(api_signed_in()),
    ("POST", "/api/innovation/projects"): ApiRule(api_firm_write()),
    ("GET", "/api/innovation/projects/{project_id}"): ApiRule(api_firm_record()),
    ("PATCH", "/api/innovation/projects/{project_id}"): ApiRule(api_firm_write()),
    ("GET", "/api/innovation/coverage"): ApiRule(api_signed_in()),
    ("GET", "/api/innovation/platforms"): ApiRule(api_signed_in()),
    ("GET", "/api/innovation/platforms/{platform_id}"): ApiRule(api_signed_in()),
    # --- imports: a batch is its uploader's (and the office's); each role is given its own batches.
    # A dataset the role may not import is "no such dataset" (404); committing or reverting one, 403.
    ("GET", "/api/imports/datasets"): ApiRule(api_signed_in()),
    ("GET", "/api/imports/batches"): ApiRule(api_signed_in()),
    ("GET", "/api/imports/batches/{batch_id}"): ApiRule(api_signed_in()),
    ("POST", "/api/imports/preview/{dataset}"): ApiRule(
        api_signed_in(leader=NOT_FOUND, unit_officer=NOT_FOUND), note="dataset period_values"
    ),
    ("POST", "/api/imports/batches/{batch_id}/commit"): ApiRule(
        api_signed_in(leader=FORBIDDEN, unit_officer=FORBIDDEN)
    ),
    ("POST", "/api/imports/batches/{batch_id}/revert"): ApiRule(
        api_signed_in(leader=FORBIDDEN, unit_officer=FORBIDDEN)
    ),
    # --- monitoring: city roles and district officers; other roles have no cockpit (404 by design).
    ("GET", "/api/monitoring/indicators"): ApiRule(
        api_signed_in(unit_officer=NOT_FOUND, enterprise_user=NOT_FOUND)
    ),
    ("GET", "/api/monitoring/values"): ApiRule(
        api_signed_in(unit_officer=NOT_FOUND, enterprise_user=NOT_FOUND)
    ),
    ("GET", "/api/monitoring/drilldown/{goal}/{period}/{scope_kind}"): ApiRule(
        api_signed_in(unit_officer=NOT_FOUND, enterprise_user=NOT_FOUND), note="the kfq breakdown"
    ),
    # --- projects: area-, owner- and unit-scoped; tickets (督办) are between government units, so the
    # owner firm has none; units reply to their tickets, the office and district officers close them.
    ("GET", "/api/projects/"): ApiRule(api_signed_in()),
    ("POST", "/api/projects/"): ApiRule(api_office(district_officer=ALLOWED)),
    ("GET", "/api/projects/cohorts"): ApiRule(api_signed_in()),
    ("GET", "/api/projects/tickets"): ApiRule(api_signed_in()),
    ("GET", "/api/projects/tickets/{ticket_id}"): ApiRule(api_signed_in(enterprise_user=NOT_FOUND)),
    ("POST", "/api/projects/tickets/{ticket_id}/replies"): ApiRule(
        api_office(unit_officer=ALLOWED, enterprise_user=NOT_FOUND)
    ),
    ("POST", "/api/projects/tickets/{ticket_id}/close"): ApiRule(
        api_office(district_officer=ALLOWED, enterprise_user=NOT_FOUND)
    ),
    ("POST", "/api/projects/problems/{problem_id}/resolve"): ApiRule(api_project_write()),
    ("GET", "/api/projects/{project_id}"): ApiRule(api_signed_in()),
    ("PATCH", "/api/projects/{project_id}"): ApiRule(api_project_write()),
    ("POST", "/api/projects/{project_id}/transition"): ApiRule(api_project_write()),
    ("GET", "/api/projects/{project_id}/progress"): ApiRule(api_signed_in()),
    ("PUT", "/api/projects/{project_id}/progress"): ApiRule(api_project_write()),
    ("GET", "/api/projects/{project_id}/problems"): ApiRule(api_signed_in()),
    ("POST", "/api/projects/{project_id}/problems"): ApiRule(api_project_write()),
    ("GET", "/api/projects/{project_id}/light"): ApiRule(api_signed_in()),
    # --- supply: firms answer for themselves, officers for their area; the analysis is the government's.
    ("GET", "/api/supply/answers"): ApiRule(api_signed_in()),
    ("POST", "/api/supply/answers"): ApiRule(api_firm_write()),
    ("GET", "/api/supply/answers/{answer_id}"): ApiRule(api_firm_record()),
    ("PUT", "/api/supply/answers/{answer_id}"): ApiRule(api_firm_write()),
    ("DELETE", "/api/supply/answers/{answer_id}"): ApiRule(api_firm_write()),
    ("GET", "/api/supply/analysis"): ApiRule(api_government()),
    # --- support: the firm (or the office on its behalf) prepares and submits; the area's officer
    # pre-reviews; review, decision, 一事一议 and payment are the office's. Submitting is PERMITTED: the
    # program's application window has passed, so the permitted roles meet a 422 naming the window.
    ("GET", "/api/support/programs"): ApiRule(api_signed_in()),
    ("GET", "/api/support/applications"): ApiRule(api_signed_in()),
    ("POST", "/api/support/applications"): ApiRule(api_firm_write(district_officer=FORBIDDEN)),
    ("GET", "/api/support/applications/{application_id}"): ApiRule(api_firm_record()),
    ("PATCH", "/api/support/applications/{application_id}"): ApiRule(
        api_firm_write(district_officer=FORBIDDEN)
    ),
    ("GET", "/api/support/applications/{application_id}/award"): ApiRule(api_firm_record()),
    ("POST", "/api/support/applications/{application_id}/submit"): ApiRule(
        api_firm_write(district_officer=FORBIDDEN, city_admin=PERMITTED, enterprise_user=PERMITTED)
    ),
    ("POST", "/api/support/applications/{application_id}/pre-review"): ApiRule(
        api_firm_write(city_admin=FORBIDDEN, enterprise_user=FORBIDDEN)
    ),
    ("POST", "/api/support/applications/{application_id}/review"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("POST", "/api/support/applications/{application_id}/decide"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("POST", "/api/support/applications/{application_id}/override"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("POST", "/api/support/applications/{application_id}/disburse"): ApiRule(
        api_office(unit_officer=NOT_FOUND)
    ),
    ("GET", "/api/support/ledger"): ApiRule(api_government()),
}
