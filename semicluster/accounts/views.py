from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from semicluster.accounts import services
from semicluster.accounts.models import ApiToken
from semicluster.accounts.selectors import demo_logins


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

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
