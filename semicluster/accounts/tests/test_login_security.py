import pytest
from django.urls import reverse

from semicluster.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_log_ins_and_failures_are_logged_without_the_password(client, personas):
    client.post(reverse("accounts:login"), {"username": "admin", "password": "wrong-password"})
    client.post(reverse("accounts:login"), {"username": "admin", "password": "test-pass-123"})
    kinds = list(
        SecurityEvent.objects.exclude(kind="plan_load").order_by("at").values_list("kind", flat=True)
    )
    assert kinds == ["login_failed", "login"]
    failed = SecurityEvent.objects.get(kind="login_failed")
    assert failed.detail == {"username": "admin"} and "wrong-password" not in str(failed.detail)


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, personas, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "leader", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "leader", "password": "test-pass-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_security_log_is_append_only(personas):
    event = SecurityEvent.objects.create(kind="export", username="x")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_the_demo_log_ins_on_the_login_page_are_only_accounts_that_can_log_in(settings, personas):
    from semicluster.accounts.models import Role, User
    from semicluster.accounts.selectors import DEMO_PASSWORD, demo_logins

    settings.SEMICLUSTER_DEMO_MODE = True
    person = User.objects.create_user("demo-officer", password=DEMO_PASSWORD, role=Role.CITY_ADMIN)
    # The account the demo generator acts as has no password.
    User.objects.create_user("demo-office-system", password=None, role=Role.CITY_ADMIN)
    assert [u.username for u in demo_logins()] == [person.username]
    settings.SEMICLUSTER_DEMO_MODE = False
    assert list(demo_logins()) == []


def test_a_refused_page_is_logged_as_a_denial_with_its_path(client, personas):
    client.force_login(personas["leader"])  # leaders read; they do not import
    assert client.get(reverse("intake:home")).status_code == 403
    denial = SecurityEvent.objects.get(kind="denied")
    assert denial.username == personas["leader"].username
    assert denial.detail == {"method": "GET", "path": reverse("intake:home")}


def test_a_lockout_is_logged(client, personas, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "leader", "password": "nope"})
    lockouts = SecurityEvent.objects.filter(kind="denied", detail__reason="lockout")
    assert lockouts.exists() and lockouts.first().detail["username"] == "leader"


def test_api_token_use_is_logged_once_a_minute_per_token(client, personas):
    from semicluster.accounts.models import ApiToken
    from semicluster.accounts.services import api_token_create

    token, secret = api_token_create(user=personas["admin"], name="统计接口")
    for _ in range(3):
        assert client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    uses = SecurityEvent.objects.filter(kind="token", detail__action="use")
    assert uses.count() == 1 and uses.get().detail == {
        "action": "use",
        "token": token.prefix,
        "name": "统计接口",
    }
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)  # a minute later
    client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert uses.count() == 2
