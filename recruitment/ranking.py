"""The whole call at once: duplicates, warnings, the ranked main and reserve lists, ties.

Order of the checks (DOMAIN.md): formal check first (late, missing "always" document: rejected,
not scored), then eligibility (§4.2, with one application per household across the call), then
points. The Regulation names no tie-break, so the product uses a documented, deterministic one:
more points first, then the earlier submission date (the postmark for post), then the earlier
registration number. Ties that touch the line between the main and reserve lists are flagged
for the committee to settle in its protocol.

Two steps: assess() reads one application alone; rank() sees the whole call. evaluate() is both.
"""

from collections import defaultdict
from collections.abc import Iterable

from .domain import (
    CRITERION_NOT_CREDITED,
    DUPLICATE_HOUSEHOLD,
    INELIGIBLE,
    MAIN,
    REJECTED,
    RESERVE,
    SAME_ADDRESS_AS,
    UNLISTED,
    ApplicationData,
    Assessment,
    CallRules,
    Outcome,
)
from .eligibility import eligibility_reasons, formal_reasons, own_warnings, plain
from .scoring import score

_STREET_PREFIXES = ("ul. ", "ul ", "ulica ")


def address_key(app: ApplicationData) -> tuple[str, str, str] | None:
    """Street, building and flat, compared case- and accent-insensitively ("ul." ignored)."""
    street = plain(app.street)
    for prefix in _STREET_PREFIXES:
        if street.startswith(prefix):
            street = street[len(prefix) :].strip()
            break
    key = (street, plain(app.building), plain(app.flat))
    return key if any(key) else None


def assess(app: ApplicationData, rules: CallRules) -> Assessment:
    app_score = score(app, rules)
    return Assessment(
        number=app.number,
        sequence=app.sequence,
        submitted_on=app.submitted_on,
        points=app_score.points,
        credits=app_score.credits,
        not_credited=app_score.not_credited,
        formal=tuple(formal_reasons(app, rules)),
        reasons=tuple(eligibility_reasons(app, rules, app_score)),
        pesels=frozenset(member.pesel for member in app.members),
        address=address_key(app),
        warnings=tuple(own_warnings(app_score)),
    )


def duplicate_numbers(in_registration_order: list[Assessment]) -> set[str]:
    """§4.2.6: a PESEL already in an earlier-registered application makes the later one a
    duplicate household."""
    seen: set[str] = set()
    duplicates = set()
    for item in in_registration_order:
        if not seen.isdisjoint(item.pesels):
            duplicates.add(item.number)
        seen |= item.pesels
    return duplicates


def same_address_numbers(items: list[Assessment]) -> dict[str, list[str]]:
    """number -> the other applications at the same address (a warning only: two households
    may share a dwelling)."""
    by_address: dict[tuple, list[str]] = defaultdict(list)
    for item in items:
        if item.address:
            by_address[item.address].append(item.number)
    others: dict[str, list[str]] = {}
    for numbers in by_address.values():
        if len(numbers) > 1:
            for number in numbers:
                others[number] = [n for n in numbers if n != number]
    return others


def rank(assessments: Iterable[Assessment], rules: CallRules) -> list[Outcome]:
    """Every application's outcome, listed by status (main, reserve, unlisted, ineligible,
    rejected), then rank, then registration number."""
    items = sorted(assessments, key=lambda item: item.sequence)
    duplicates = duplicate_numbers(items)
    neighbours = same_address_numbers(items)

    rejected, ineligible, eligible = [], [], []
    for item in items:  # in registration order
        warnings = item.warnings
        if item.not_credited or item.number in neighbours:
            warnings += tuple(
                [f"{CRITERION_NOT_CREDITED}:{code}" for code in item.not_credited]
                + [f"{SAME_ADDRESS_AS}:{number}" for number in neighbours.get(item.number, ())]
            )
        if item.formal:
            rejected.append((item, item.formal, warnings))
        elif item.reasons or item.number in duplicates:
            reasons = item.reasons + ((DUPLICATE_HOUSEHOLD,) if item.number in duplicates else ())
            ineligible.append((item, reasons, warnings))
        else:
            eligible.append(((-item.points, item.submitted_on, item.sequence), item, warnings))

    eligible.sort(key=lambda entry: entry[0])
    reserve_end = None if rules.reserve_places is None else rules.places + rules.reserve_places
    ranked: list[Outcome] = []
    for index, (_key, item, warnings) in enumerate(eligible):
        if index < rules.places:
            status = MAIN
        elif reserve_end is None or index < reserve_end:
            status = RESERVE
        else:
            status = UNLISTED
        place = index + 1
        rank_ = place if status != UNLISTED else None
        ranked.append(
            Outcome(
                item.number, status, rank_, item.points, item.credits, (), warnings, False, place
            )
        )
    # The rest follow by status, then registration number, each with its place in its list.
    rest = [
        Outcome(
            item.number,
            INELIGIBLE,
            None,
            item.points,
            item.credits,
            reasons,
            warnings,
            False,
            place,
        )
        for place, (item, reasons, warnings) in enumerate(ineligible, start=1)
    ] + [
        Outcome(item.number, REJECTED, None, 0, (), reasons, warnings, False, place)
        for place, (item, reasons, warnings) in enumerate(rejected, start=1)
    ]
    return mark_ties(ranked) + rest


def evaluate(applications: Iterable[ApplicationData], rules: CallRules) -> list[Outcome]:
    return rank((assess(app, rules) for app in applications), rules)


def mark_ties(ranked: list[Outcome]) -> list[Outcome]:
    """FORMATS.md: tie is true for every ranked application whose points equal those of the
    last application on the main list when at least one reserve application has them too."""
    main = [o for o in ranked if o.status == MAIN]
    reserve = [o for o in ranked if o.status == RESERVE]
    if not main or not reserve:
        return ranked
    line = main[-1].points
    if not any(o.points == line for o in reserve):
        return ranked
    return [
        o._replace(tie=True) if o.status in (MAIN, RESERVE) and o.points == line else o
        for o in ranked
    ]
