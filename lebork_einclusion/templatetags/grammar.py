from django import template

from lebork_einclusion.grammar import for_sex, sex_of

register = template.Library()


# is_safe: the filter only changes word endings, never adds markup: safe input stays safe and
# anything else is escaped as usual.
@register.filter(is_safe=True)
def for_person(text, person):
    """{{ module.certificate_text|for_person:trainee }}: "ukończył(a)" as "ukończyła" for a
    woman and "ukończył" for a man; unchanged where the person's sex is not known."""
    return for_sex(str(text), sex_of(person))
