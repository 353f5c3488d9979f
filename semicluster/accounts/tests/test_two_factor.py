import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(reverse("accounts:two_factor"), {"start": "1"})
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor"), {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_without_an_authenticator_the_password_alone_logs_in(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "admin", "password": "test-pass-123"})
    assert response.status_code == 302


def test_an_enrolled_admin_needs_the_code_and_a_wrong_code_is_refused(client, personas):
    device = enrol(client, personas["admin"])
    missing = client.post(reverse("accounts:login"), {"username": "admin", "password": "test-pass-123"})
    assert missing.status_code == 200 and "_auth_user_id" not in client.session
    wrong = client.post(
        reverse("accounts:login"), {"username": "admin", "password": "test-pass-123", "otp_token": "000000"}
    )
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # A failure throttles the device for a moment (brute-force protection); let that pass. And a code
    # is accepted once: the enrolment code cannot be replayed, so use the next time step's.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    right = client.post(
        reverse("accounts:login"),
        {"username": "admin", "password": "test-pass-123", "otp_token": code_for(device, drift=1)},
    )
    assert right.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_refuses_an_enrolled_admin_whose_session_is_not_verified(client, personas):
    enrol(client, personas["admin"])
    client.force_login(personas["admin"])  # password-only session, no code
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_wrong_confirmation_code_does_not_switch_two_factor_on(client, personas):
    client.force_login(personas["leader"])
    client.post(reverse("accounts:two_factor"), {"start": "1"})
    client.post(reverse("accounts:two_factor"), {"token": "123"})
    assert not TOTPDevice.objects.get(user=personas["leader"]).confirmed


def test_the_log_in_and_two_factor_pages_are_chinese_for_chinese_readers(client, personas):
    login = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一次性验证码" in login and "One-time code" not in login and "authenticator" not in login
    client.force_login(personas["admin"])
    page = client.get(reverse("accounts:two_factor"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "双因素登录" in page and "Two-factor" not in page
