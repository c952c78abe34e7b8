"""allauth's sign-in and second-factor forms with GOV.UK markup and error messages."""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms

from .forms import GovukFormMixin


class LoginForm(GovukFormMixin, account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["spellcheck"] = "false"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.govuk_prepare_fields()

    def error_summary_items(self):
        items = super().error_summary_items()
        # allauth reports a wrong email or password as a form-wide error; point it at the first field.
        return [(anchor or self["login"].auto_id, message) for anchor, message in items]


class ResetPasswordForm(GovukFormMixin, account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].widget.attrs.pop("placeholder", None)


class ResetPasswordKeyForm(GovukFormMixin, account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password1"].error_messages["required"] = "Enter a new password"
        self.fields["password2"].error_messages["required"] = "Enter the new password again"


class ChangePasswordForm(GovukFormMixin, account_forms.ChangePasswordForm):
    pass


class AuthenticateForm(GovukFormMixin, mfa_base_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app, or a recovery code"
        self.fields["code"].error_messages["required"] = "Enter the code from your authenticator app"
        self.fields["code"].widget.attrs.pop("placeholder", None)
        self.fields["code"].widget.attrs["autocomplete"] = "one-time-code"


class ReauthenticateForm(AuthenticateForm, mfa_base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(GovukFormMixin, totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app"
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app"
        self.fields["code"].widget.attrs.pop("placeholder", None)
        self.fields["code"].widget.attrs["autocomplete"] = "one-time-code"
