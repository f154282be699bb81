"""Hooks django-allauth calls while people sign up and sign in."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest

from accord.people.models import User
from accord.people.services import ensure_member


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.username = user.email.lower()
        if commit:
            user.save()
            ensure_member(user, display_name=form.cleaned_data.get("display_name", ""))
        return user


class SignupForm(forms.Form):
    """Extra fields on the sign-up page; every consent starts off."""

    display_name = forms.CharField(
        max_length=80, help_text="How other members will see you, if you let them."
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        ensure_member(user, display_name=self.cleaned_data["display_name"])
