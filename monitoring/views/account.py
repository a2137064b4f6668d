"""The user's own account page: the daily e-mail of their to-dos, and the ways to the password
and two-factor pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion.pages import form_page

from ..forms.account import DigestForm
from ..models import DigestSubscription
from ..services.digests import do_set_daily_digest


def account(request):
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    # An unticked box posts nothing: the form is bound on every POST.
    data = request.POST if request.method == "POST" else None
    form = DigestForm(data, instance=subscription or DigestSubscription())

    def perform(data):
        do_set_daily_digest(request.user, data["daily_digest"], actor=request.user)
        return reverse("monitoring:account")

    return form_page(
        request,
        form,
        perform,
        template="monitoring/account.html",
        success=_("Your choice has been saved."),
        context={"subscription": subscription},
    )
