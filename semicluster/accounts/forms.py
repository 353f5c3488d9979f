from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """User name and password; plus a one-time code for users who enrolled an authenticator app.

    Two-factor is optional per user (SPEC: optional TOTP for admins); once a user has a confirmed
    device, the code is required at every log-in and the admin site requires a verified session.
    """

    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you set up an authenticator app."),
    )
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("username", "password", "otp_token"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def _chosen_device(self, user: Any) -> Any:
        # Each account has at most one authenticator (accounts.views.two_factor), so the form
        # does not ask the user to pick one.
        chosen = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned


class TotpConfirmForm(forms.Form):
    token = forms.CharField(label=_("Code from your authenticator app"), max_length=8)
