"""The reads of the recruitment that other apps may use (lending enrols from the latest lists).

Plain query functions, no writes: the writes are recruitment.services' `do_*` functions.
"""

from .models import Call, RankingVersion


def latest_version(call: Call) -> RankingVersion | None:
    """The call's newest version of the ranking lists (any status), or None before the first."""
    return call.versions.order_by("-number").first()
