"""allauth's sign-in and second-factor forms with GOV.UK markup and error messages."""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms

from .forms import GovukFormMixin


def _govuk_field(form, name: str, *, required: str, label: str | None = None, **attrs: str) -> None:
    """Our label and "missing" message on one of allauth's fields, without its placeholder."""
    field = form.fields[name]
    if label is not None:
        field.label = label
    field.error_messages["required"] = required
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(attrs)


class LoginForm(GovukFormMixin, account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_field(
            self, "login", label="Email address", required="Enter your email address", spellcheck="false"
        )
        _govuk_field(self, "password", required="Enter your password")
        self.fields["password"].help_text = ""
        self.govuk_prepare_fields()

    def error_summary_items(self):
        items = super().error_summary_items()
        # allauth reports a wrong email or password as a form-wide error; point it at the first field.
        return [(anchor or self["login"].auto_id, message) for anchor, message in items]


class ResetPasswordForm(GovukFormMixin, account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_field(self, "email", label="Email address", required="Enter your email address")


class ResetPasswordKeyForm(GovukFormMixin, account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_field(self, "password1", required="Enter a new password")
        _govuk_field(self, "password2", required="Enter the new password again")


class ChangePasswordForm(GovukFormMixin, account_forms.ChangePasswordForm):
    pass


class OneTimeCodeMixin:
    """The code field of allauth's second-factor forms, with our label and "missing" message."""

    code_label = ""
    code_required = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_field(
            self, "code", label=self.code_label, required=self.code_required, autocomplete="one-time-code"
        )


class AuthenticateForm(OneTimeCodeMixin, GovukFormMixin, mfa_base_forms.AuthenticateForm):
    code_label = "Code from your authenticator app, or a recovery code"
    code_required = "Enter the code from your authenticator app"


class ReauthenticateForm(AuthenticateForm, mfa_base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(OneTimeCodeMixin, GovukFormMixin, totp_forms.ActivateTOTPForm):
    code_label = "Code from your authenticator app"
    code_required = "Enter the 6-digit code from your authenticator app"
