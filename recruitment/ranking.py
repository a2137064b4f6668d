"""The whole call at once: duplicates, warnings, the ranked main and reserve lists, ties.

Order of the checks (DOMAIN.md): formal check first (late, missing "always" document: rejected,
not scored), then eligibility (§4.2, with one application per household across the call), then
points. The Regulation names no tie-break, so the product uses a documented, deterministic one:
more points first, then the earlier submission date (the postmark for post), then the earlier
registration number. Ties that touch the line between the main and reserve lists are flagged
for the committee to settle in its protocol.
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
    STATUS_ORDER,
    UNLISTED,
    ApplicationData,
    CallRules,
    Outcome,
)
from .eligibility import eligibility_reasons, formal_reasons, plain
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


def duplicate_numbers(apps_in_registration_order: list[ApplicationData]) -> set[str]:
    """§4.2.6: a PESEL already in an earlier-registered application makes the later one a
    duplicate household."""
    seen: set[str] = set()
    duplicates = set()
    for app in apps_in_registration_order:
        pesels = {member.pesel for member in app.members}
        if not seen.isdisjoint(pesels):
            duplicates.add(app.number)
        seen |= pesels
    return duplicates


def same_address_numbers(apps: list[ApplicationData]) -> dict[str, list[str]]:
    """number -> the other applications at the same address (a warning only: two households
    may share a dwelling)."""
    by_address: dict[tuple, list[str]] = defaultdict(list)
    for app in apps:
        key = address_key(app)
        if key:
            by_address[key].append(app.number)
    others: dict[str, list[str]] = {}
    for numbers in by_address.values():
        if len(numbers) > 1:
            for number in numbers:
                others[number] = [n for n in numbers if n != number]
    return others


def ranking_key(app: ApplicationData, points: int):
    return (-points, app.submitted_on, app.sequence)


def evaluate(applications: Iterable[ApplicationData], rules: CallRules) -> list[Outcome]:
    """Every application's outcome, listed by status (main, reserve, unlisted, ineligible,
    rejected), then rank, then registration number."""
    apps = sorted(applications, key=lambda app: app.sequence)
    duplicates = duplicate_numbers(apps)
    neighbours = same_address_numbers(apps)

    settled: dict[str, Outcome] = {}
    eligible = []
    for app in apps:
        app_score = score(app, rules)
        warnings = tuple(
            [f"{CRITERION_NOT_CREDITED}:{code}" for code in app_score.not_credited]
            + [f"{SAME_ADDRESS_AS}:{number}" for number in neighbours.get(app.number, ())]
        )
        formal = formal_reasons(app, rules)
        if formal:
            settled[app.number] = Outcome(
                app.number, REJECTED, None, 0, (), tuple(formal), warnings
            )
            continue
        reasons = eligibility_reasons(app, rules, app_score)
        if app.number in duplicates:
            reasons.append(DUPLICATE_HOUSEHOLD)
        if reasons:
            settled[app.number] = Outcome(
                app.number,
                INELIGIBLE,
                None,
                app_score.points,
                app_score.credits,
                tuple(reasons),
                warnings,
            )
            continue
        eligible.append((ranking_key(app, app_score.points), app, app_score, warnings))

    eligible.sort(key=lambda item: item[0])
    reserve_end = None if rules.reserve_places is None else rules.places + rules.reserve_places
    ranked: list[Outcome] = []
    for position, (_key, app, app_score, warnings) in enumerate(eligible):
        if position < rules.places:
            status = MAIN
        elif reserve_end is None or position < reserve_end:
            status = RESERVE
        else:
            status = UNLISTED
        rank = position + 1 if status in (MAIN, RESERVE) else None
        ranked.append(
            Outcome(app.number, status, rank, app_score.points, app_score.credits, (), warnings)
        )
    ranked = mark_ties(ranked)

    # Ranked ones are already in order (main, reserve, unlisted); the rest follow by status,
    # then registration number.
    order = {status: index for index, status in enumerate(STATUS_ORDER)}
    sequence = {app.number: app.sequence for app in apps}
    rest = sorted(settled.values(), key=lambda o: (order[o.status], sequence[o.number]))
    return ranked + rest


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
        Outcome(o.number, o.status, o.rank, o.points, o.breakdown, o.reasons, o.warnings, True)
        if o.status in (MAIN, RESERVE) and o.points == line
        else o
        for o in ranked
    ]
