from django.urls import path

from lebork_einclusion.formkeys import once

from . import feeds, views

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    # indicators and their frozen snapshots
    path("monitoring/indicators/", views.indicators, name="indicators"),
    path("monitoring/indicators/freeze/", once(views.snapshot_new), name="snapshot_new"),
    path("monitoring/snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("monitoring/snapshots/<int:pk>/xlsx/", views.snapshot_xlsx, name="snapshot_xlsx"),
    path("monitoring/snapshots/<int:pk>/pdf/", views.snapshot_pdf, name="snapshot_pdf"),
    # home visits: the plan, the visit form, protocols, follow-up actions
    path("monitoring/visits/", views.visit_list, name="visit_list"),
    path("monitoring/visits/new/<int:participant>/", once(views.visit_new), name="visit_new"),
    path("monitoring/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("monitoring/visits/<int:pk>/pdf/", views.visit_pdf, name="visit_pdf"),
    path("monitoring/visits/<int:pk>/signature/", views.visit_signature, name="visit_signature"),
    path("monitoring/visits/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path(
        "monitoring/visits/protocols/<int:year>/<int:month>/",
        views.visits_month_pdf,
        name="visits_month_pdf",
    ),
    path(
        "monitoring/households/<int:participant>/",
        views.household_visits,
        name="household_visits",
    ),
    path(
        "monitoring/households/<int:participant>/follow-up/",
        once(views.follow_up_new),
        name="follow_up_new",
    ),
    path("monitoring/plan/new/", once(views.planned_new), name="planned_new"),
    path("monitoring/plan/<int:pk>/", views.planned_edit, name="planned_edit"),
    path("monitoring/plan/rules/", views.visit_rules_list, name="visit_rules"),
    path("monitoring/plan/rules/<int:call>/", views.visit_rule, name="visit_rule"),
    path("monitoring/follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("monitoring/follow-ups/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
    # the public units' labs
    path("monitoring/labs/", views.lab_list, name="lab_list"),
    path(
        "monitoring/labs/<int:unit>/<int:year>/<int:month>/",
        views.lab_schedule,
        name="lab_schedule",
    ),
    path(
        "monitoring/labs/<int:unit>/<int:year>/<int:month>/report/",
        views.lab_report,
        name="lab_report",
    ),
    path("monitoring/labs/reports/", views.lab_report_list, name="lab_report_list"),
    # the chronicle
    path("monitoring/chronicle/", views.chronicle_list, name="chronicle"),
    path("monitoring/chronicle/new/", once(views.chronicle_edit), name="chronicle_new"),
    path("monitoring/chronicle/<int:pk>/edit/", views.chronicle_edit, name="chronicle_edit"),
    # durability
    path("monitoring/durability/", views.durability_list, name="durability"),
    path("monitoring/durability/<int:number>/pdf/", views.durability_pdf, name="durability_pdf"),
    # public pages (no login): nothing personal on them
    path("public/labs/", views.public_labs, name="public_labs"),
    path("public/labs/<int:year>/<int:month>/", views.public_labs, name="public_labs_month"),
    path(
        "public/labs/<int:year>/<int:month>/poster.pdf",
        views.public_lab_poster,
        name="public_lab_poster",
    ),
    path("public/chronicle/", views.public_chronicle, name="public_chronicle"),
    path("public/chronicle/rss/", feeds.ChronicleFeed(), name="chronicle_rss"),
    path("public/chronicle/atom/", feeds.ChronicleAtomFeed(), name="chronicle_atom"),
]
