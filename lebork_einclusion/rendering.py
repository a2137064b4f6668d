"""How every form of the project is rendered (settings.FORM_RENDERER).

Labels in sentence case: a model field's label is its verbose name with a capital (Django's
ModelForm does that), and a plain form's label (written in lowercase in the code, as verbose names
are) gets the same capital here, once for every form and every template that shows a label
("Kod pocztowy*", not "kod pocztowy*"; issue 16).
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.text import capfirst


class SentenceCaseBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.label = capfirst(self.label)


class OfficeFormRenderer(DjangoTemplates):
    bound_field_class = SentenceCaseBoundField
