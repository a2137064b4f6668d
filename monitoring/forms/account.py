"""The user's own account page: the daily e-mail of their work."""

from django import forms

from ..models import DigestSubscription


class DigestForm(forms.ModelForm):
    class Meta:
        model = DigestSubscription
        fields = ["daily_digest"]
