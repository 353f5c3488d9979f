from django.contrib.auth import views as auth_views

from semicluster.accounts.selectors import demo_logins


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins()
        return context
