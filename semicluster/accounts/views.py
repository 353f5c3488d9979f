from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from semicluster.accounts import services
from semicluster.accounts.forms import LoginForm, TotpConfirmForm
from semicluster.accounts.models import ApiToken
from semicluster.accounts.selectors import demo_logins


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins()
        return context


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke the user's own API tokens; a new secret is shown exactly once."""
    new_secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
            services.api_token_revoke(user=request.user, token=token, request=request)  # type: ignore[arg-type]
            messages.success(request, _("The token was revoked."))
            return redirect("accounts:tokens")
        _token, new_secret = services.api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=request.POST.get("name", ""),
            request=request,
        )
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": ApiToken.objects.filter(user_id=request.user.pk or 0), "new_secret": new_secret},
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (or remove) an authenticator app for the user's own account."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST and confirmed is not None:
        confirmed.delete()
        messages.success(request, _("Two-factor log-in was switched off."))
        return redirect("accounts:two_factor")
    if request.method == "POST" and "start" in request.POST and confirmed is None:
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        return redirect("accounts:two_factor")
    if request.method == "POST" and "token" in request.POST and pending is not None and form.is_valid():
        if pending.verify_token(form.cleaned_data["token"].strip()):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            messages.success(
                request, _("Two-factor log-in is on: you will be asked for a code at every log-in.")
            )
            return redirect("accounts:two_factor")
        form.add_error("token", _("That code is not valid; check the time on your phone and try again."))
    secret = None
    if pending is not None:
        from base64 import b32encode

        secret = b32encode(pending.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {"confirmed": confirmed, "pending": pending, "secret": secret, "form": form},
    )
