"""ModelForms list their fields: a posted `status` or `approved_by` can never reach the model
(SECURITY.md, ASVS 15.3.3). Checks every ModelForm of every app, present and future."""

import importlib
import inspect

from django import forms
from django.conf import settings


def _model_forms():
    for app in settings.PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.ModelForm) and obj.__module__ == module.__name__:
                meta = getattr(obj, "Meta", None)
                if meta is not None and getattr(meta, "model", None) is not None:
                    yield f"{app}.forms.{name}", meta


def test_every_model_form_names_its_fields():
    found = list(_model_forms())
    assert found  # the core has some
    bad = [
        name
        for name, meta in found
        if getattr(meta, "fields", None) in (None, "__all__") or getattr(meta, "exclude", None)
    ]
    assert bad == []
