"""Bad input of an application: refused before anything is saved, with a message per field.

The entry form and `import_applications` both call these, so a file and a person typing get the
same answers. These are input errors (impossible dates, a wrong PESEL, two applicants); what
the Regulation decides about a valid application (late, outside the town, no criterion) is for
the rules in eligibility.py and ranking.py.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion.dates import short_date
from lebork_einclusion.people import validate_person_name
from lebork_einclusion.pesel import age_on, validate_pesel

from . import domain
from .eligibility import plain

# A monthly net income above this is a typing error, not a household of this programme.
MAX_MONTHLY_INCOME = Decimal("100000")
MAX_MEMBERS = 20
POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")


def application_errors(fields: dict, call, today: datetime.date) -> dict[str, list[str]]:
    """Problems with an application's own fields (not its members), by field name."""
    errors: dict[str, list[str]] = defaultdict(list)
    channel = fields.get("channel")
    received = fields.get("received_on")
    postmark = fields.get("postmarked_on")
    income = fields.get("monthly_net_income")
    if received:
        if received > today:
            errors["received_on"].append(_("The date received cannot be in the future."))
        if received < call.opens_on:
            errors["received_on"].append(
                _("The call opened on %(date)s: an application cannot be received earlier.")
                % {"date": short_date(call.opens_on)}
            )
    if channel == domain.POST and not postmark:
        errors["postmarked_on"].append(_("An application sent by post needs its postmark date."))
    if channel == domain.IN_PERSON and postmark:
        errors["postmarked_on"].append(
            _("An application handed in person has no postmark: leave the date empty.")
        )
    if channel == domain.POST and postmark:
        if postmark < call.opens_on:
            errors["postmarked_on"].append(
                _("The postmark is before the call opened (%(date)s).")
                % {"date": short_date(call.opens_on)}
            )
        if received and postmark > received:
            errors["postmarked_on"].append(
                _("The postmark cannot be later than the date the letter was received.")
            )
    if income is not None:
        if income < 0:
            errors["monthly_net_income"].append(_("The income cannot be negative."))
        elif income > MAX_MONTHLY_INCOME:
            errors["monthly_net_income"].append(
                _(
                    "%(income)s PLN a month looks like a typing error: the limit is "
                    "%(limit)s PLN. Check the income statement (annex 5)."
                )
                % {"income": income, "limit": MAX_MONTHLY_INCOME}
            )
    postal_code = fields.get("postal_code")
    if postal_code is not None and not POSTAL_CODE.match(postal_code):
        errors["postal_code"].append(_("Enter a postal code in the format XX-XXX."))
    return dict(errors)


def warnings_to_confirm(fields: dict, call) -> dict[str, str]:
    """Facts that decide the outcome, which the person typing confirms before saving: a late
    application is registered and rejected formally, one from outside the town is ineligible."""
    confirm = {}
    submitted = (
        fields.get("postmarked_on")
        if fields.get("channel") == domain.POST
        else fields.get("received_on")
    )
    if submitted and submitted > call.deadline:
        confirm["late"] = _(
            "Submitted on %(submitted)s, after the deadline (%(deadline)s): the application will "
            "be registered and rejected on formal grounds (§5.4). Tick the box to confirm."
        ) % {"submitted": short_date(submitted), "deadline": short_date(call.deadline)}
    city = fields.get("city")
    if city and plain(city) != plain(call.town):
        confirm["outside_town"] = _(
            "The address is not in %(town)s: the household will be ineligible (§4.2.2). "
            "Tick the box to confirm."
        ) % {"town": call.town}
    return confirm


def member_errors(members: list[dict], household: dict, call) -> tuple[list[str], list[dict]]:
    """(problems of the household as a whole, problems per member by field) for member dicts
    with the keys of HouseholdMember."""
    overall: list[str] = []
    per_member: list[dict[str, list[str]]] = [defaultdict(list) for _ in members]
    if not members:
        overall.append(_("Add the household's members, the applicant first."))
    if len(members) > MAX_MEMBERS:
        overall.append(
            _("A household of more than %(n)d people is not plausible.") % {"n": MAX_MEMBERS}
        )
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        # The form checked the names already (and left a bad one out); an imported file did not.
        for field in ("first_name", "last_name"):
            if member.get(field):
                try:
                    validate_person_name(member[field])
                except ValidationError as error:
                    per_member[index][field].extend(error.messages)
        pesel = (member.get("pesel") or "").strip()
        try:
            validate_pesel(pesel)
        except ValidationError as error:
            per_member[index]["pesel"].extend(error.messages)
            continue
        if pesel in seen:
            per_member[index]["pesel"].append(
                _("This PESEL is already listed for member %(n)d.") % {"n": seen[pesel] + 1}
            )
        else:
            seen[pesel] = index
        if (
            member.get("role") == domain.APPLICANT
            and age_on(pesel, call.age_date) < domain.CHILD_AGE
        ):
            per_member[index]["role"].append(
                _(
                    "The applicant must be an adult (a parent or legal guardian applies for a minor)."
                )
            )
        if member.get("foster_child") and not household.get("foster_family"):
            per_member[index]["foster_child"].append(
                _("A foster child needs the household marked as a foster family.")
            )
        if member.get("family_home_child") and not household.get("family_childrens_home"):
            per_member[index]["family_home_child"].append(
                _("This needs the household marked as a family children's home.")
            )
    applicants = sum(1 for m in members if m.get("role") == domain.APPLICANT)
    if members and applicants == 0:
        overall.append(_("Mark one member as the applicant."))
    elif applicants > 1:
        overall.append(
            _("Only one member can be the applicant; %(n)d are marked.") % {"n": applicants}
        )
    return overall, [dict(problems) for problems in per_member]
