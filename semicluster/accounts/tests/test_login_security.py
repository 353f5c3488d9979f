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
