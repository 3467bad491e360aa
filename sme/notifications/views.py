from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sme.core.errors import InvalidInput
from sme.core.forms import BootstrapFormMixin, apply_service_errors
from sme.core.pagination import paginate

from .selectors import inbox
from .services import event_choices, notification_mark_read, preference_for, preference_save


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    page = paginate(inbox(request.user), request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(actor=request.user)
    return redirect("notifications:inbox")


class PreferenceForm(BootstrapFormMixin, forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("邮件语言"))
    email_off = forms.MultipleChoiceField(
        label=gettext_lazy("这些事件不发邮件（站内通知照常）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, _(label)) for code, label in settings.LANGUAGES]  # type: ignore[attr-defined]
        self.fields["email_off"].choices = event_choices()  # type: ignore[attr-defined]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = preference_for(request.user)
    form = PreferenceForm(
        request.POST or None, initial={"language": current.language, "email_off": current.email_off}
    )
    if request.method == "POST" and form.is_valid():
        try:
            preference_save(
                actor=request.user,
                language=form.cleaned_data["language"],
                email_off=form.cleaned_data["email_off"],
            )
        except InvalidInput as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
