"""Lending: the participating households and what they are lent.

A Participant is a household from the approved main list of a call that takes part in the
project (§6): its signatory (the beneficiary, or a parent or legal guardian for a minor) signs
the loan agreement. Participation ends by resignation, termination or exclusion (§7); the place
then goes to the first on the reserve list (recruitment's do_promote_from_reserve).
"""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.models import VersionedModel
from recruitment.models import Application, HouseholdMember


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Participant.Status.ACTIVE)


@pghistory.track()
class Participant(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("taking part")
        RESIGNED = "resigned", _("resigned (§7.1-2)")
        TERMINATED = "terminated", _("participation ended: criteria no longer met (§7.3)")
        EXCLUDED = "excluded", _("excluded (§7.4)")

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="participant",
    )
    signatory = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The beneficiary, or for a minor a parent or legal guardian."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("taking part since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the end"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["application_id"]

    def __str__(self):
        return f"{self.application.number} {self.signatory}"

    @property
    def household(self):
        """The household's members (recruitment's record of the application)."""
        return self.application.members.all()
