from django.urls import path

from lebork_einclusion.formkeys import once

from . import feeds
from .views import (
    account,
    chronicle,
    durability,
    follow_ups,
    home,
    labs,
    offline,
    plans,
    snapshots,
    visit_calendar,
    visits,
)

app_name = "monitoring"

urlpatterns = [
    path("", home.home, name="home"),
    path("account/", account.account, name="account"),
    # indicators and their frozen snapshots
    path("monitoring/indicators/", snapshots.indicators, name="indicators"),
    path("monitoring/indicators/freeze/", once(snapshots.snapshot_new), name="snapshot_new"),
    path("monitoring/snapshots/<int:pk>/", snapshots.snapshot_detail, name="snapshot_detail"),
    path("monitoring/snapshots/<int:pk>/xlsx/", snapshots.snapshot_xlsx, name="snapshot_xlsx"),
    path("monitoring/snapshots/<int:pk>/pdf/", snapshots.snapshot_pdf, name="snapshot_pdf"),
    # home visits: the plan, the visit form, protocols, follow-up actions
    path("monitoring/visits/", visits.visit_list, name="visit_list"),
    path("monitoring/visits/new/<int:participant>/", once(visits.visit_new), name="visit_new"),
    # the visit pages' service worker (work with no signal) and what it keeps on the phone
    path("monitoring/sw.js", offline.service_worker, name="service_worker"),
    path("monitoring/visits/offline/", offline.offline_pages, name="offline_pages"),
    path("monitoring/visits/calendar/", visit_calendar.calendar_month, name="visit_calendar"),
    path(
        "monitoring/visits/calendar/<int:year>/<int:month>/pdf/",
        visit_calendar.calendar_pdf,
        name="visit_calendar_pdf",
    ),
    path("monitoring/visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("monitoring/visits/<int:pk>/pdf/", visits.visit_pdf, name="visit_pdf"),
    path("monitoring/visits/<int:pk>/signature/", visits.visit_signature, name="visit_signature"),
    path("monitoring/visits/photos/<int:pk>/", visits.visit_photo, name="visit_photo"),
    path(
        "monitoring/visits/protocols/<int:year>/<int:month>/",
        visits.visits_month_pdf,
        name="visits_month_pdf",
    ),
    path(
        "monitoring/households/<int:participant>/",
        visits.household_visits,
        name="household_visits",
    ),
    path(
        "monitoring/households/<int:participant>/follow-up/",
        once(follow_ups.follow_up_new),
        name="follow_up_new",
    ),
    path("monitoring/plan/new/", once(plans.planned_new), name="planned_new"),
    path("monitoring/plan/<int:pk>/", plans.planned_edit, name="planned_edit"),
    path("monitoring/plan/rules/", plans.visit_rules_list, name="visit_rules"),
    path("monitoring/plan/rules/<int:call>/", plans.visit_rule, name="visit_rule"),
    path("monitoring/follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path("monitoring/follow-ups/<int:pk>/", follow_ups.follow_up_edit, name="follow_up_edit"),
    # the public units' labs
    path("monitoring/labs/", labs.lab_list, name="lab_list"),
    path(
        "monitoring/labs/<int:unit>/<int:year>/<int:month>/",
        labs.lab_schedule,
        name="lab_schedule",
    ),
    path(
        "monitoring/labs/<int:unit>/<int:year>/<int:month>/report/",
        labs.lab_report,
        name="lab_report",
    ),
    path("monitoring/labs/reports/", labs.lab_report_list, name="lab_report_list"),
    # the chronicle
    path("monitoring/chronicle/", chronicle.chronicle_list, name="chronicle"),
    path("monitoring/chronicle/new/", once(chronicle.chronicle_edit), name="chronicle_new"),
    path("monitoring/chronicle/<int:pk>/edit/", chronicle.chronicle_edit, name="chronicle_edit"),
    # durability
    path("monitoring/durability/", durability.durability_list, name="durability"),
    path(
        "monitoring/durability/<int:number>/pdf/", durability.durability_pdf, name="durability_pdf"
    ),
    # public pages (no login): nothing personal on them
    path("public/labs/", labs.public_labs, name="public_labs"),
    path("public/labs/<int:year>/<int:month>/", labs.public_labs, name="public_labs_month"),
    path(
        "public/labs/<int:year>/<int:month>/poster.pdf",
        labs.public_lab_poster,
        name="public_lab_poster",
    ),
    path("public/chronicle/", chronicle.public_chronicle, name="public_chronicle"),
    path("public/chronicle/rss/", feeds.ChronicleFeed(), name="chronicle_rss"),
    path("public/chronicle/atom/", feeds.ChronicleAtomFeed(), name="chronicle_atom"),
]
