"""The chronicle as RSS 2.0 and Atom feeds (django.contrib.syndication) for the town's website:
the newest items first, the same items as the public page."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from lebork_einclusion.models import Project

from . import chronicle

FEED_SIZE = 50


class ChronicleFeed(Feed):
    def title(self):
        project = Project.current()
        name = project.name if project else _("eInclusion Office")
        return _("Chronicle of the project: %(name)s") % {"name": name}

    def link(self):
        return reverse("monitoring:public_chronicle")

    def description(self):
        return _("What happened in the project, from the call for applications to the present.")

    def items(self):
        items = chronicle.chronicle(public=True)
        return sorted(items, key=lambda i: (i.date, i.key), reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.when, str(item.kind_label)]
        if item.source:
            parts.append(item.source)
        text = " · ".join(parts)
        if item.description:
            text += "\n" + item.description
        if item.link:
            text += "\n" + item.link
        return text

    def item_link(self, item):
        return f"{reverse('monitoring:public_chronicle')}?year={item.date.year}#{item.anchor}"

    def item_guid(self, item):
        return f"einclusion-chronicle-{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(12)))

    def item_updateddate(self, item):
        # Atom requires <updated> on every entry; an item is not edited after its day.
        return self.item_pubdate(item)

    def item_categories(self, item):
        return [str(item.kind_label)]


class ChronicleAtomFeed(ChronicleFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
