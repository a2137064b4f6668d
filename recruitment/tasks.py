"""Background work of recruitment: the papers of a decided version of the lists (the protocol
or the coordinator's decision, and the letters) archived after the decision has committed, so
the request that decides (an approval, a promotion started from lending's end of a
participation) renders no PDF."""

from django.contrib.auth import get_user_model

from lebork_einclusion import archive
from lebork_einclusion.background import task

from . import papers
from .models import RankingVersion


@task()
def archive_version_papers(version_id: int, actor_id: int | None) -> None:
    """Store the version's papers once (a second run, or a first opening that came before,
    leaves what is stored as it is)."""
    version = RankingVersion.objects.select_related("call").get(pk=version_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    papers.store_version_papers(version, actor=actor)


def archive_after_commit(version: RankingVersion, *, actor) -> None:
    """Queue the archiving of the version's papers once the deciding transaction commits (a
    rolled-back decision queues nothing); nothing while the archive is suspended (the demo)."""
    archive.enqueue_on_commit(archive_version_papers, version.pk, getattr(actor, "pk", None))
