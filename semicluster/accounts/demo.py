"""Demo log-ins, one per role and scope (SPEC §1). Password: see selectors.DEMO_PASSWORD."""

from __future__ import annotations

from semicluster.accounts.models import Role, User
from semicluster.accounts.selectors import DEMO_PASSWORD
from semicluster.core.demo import DemoContext
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, Unit

ORDER = 90


def generate(ctx: DemoContext) -> None:
    def make(username: str, role: str, name: str, **scope: object) -> User:
        user = User(username=username, role=role, first_name=name, **scope)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.CITY_ADMIN
        user.is_superuser = role == Role.CITY_ADMIN
        user.full_clean()
        user.save()
        return user

    make("demo-admin", Role.CITY_ADMIN, "领导小组办公室（示例）")
    make("demo-leader", Role.LEADER, "市领导（示例）")
    for area in Area.objects.order_by("sort"):
        make(f"demo-{area.code}", Role.DISTRICT_OFFICER, f"{area.name}经办人（示例）", area=area)
    for unit in Unit.objects.filter(code__in=["gxj", "fgw", "swj", "kjj", "jrj"]):
        make(f"demo-unit-{unit.code}", Role.UNIT_OFFICER, f"{unit.short_name}联络员（示例）", unit=unit)
    firm = Enterprise.objects.order_by("id").first()
    if firm is not None:
        make("demo-enterprise", Role.ENTERPRISE_USER, "企业填报员（示例）", enterprise=firm)
    ctx.say(f"  {User.objects.filter(username__startswith='demo-').count()} demo log-ins")


def reset() -> None:
    User.objects.filter(username__startswith="demo-").delete()
