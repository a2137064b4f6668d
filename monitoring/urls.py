from django.urls import path

from . import feeds, views

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    # indicators and their frozen snapshots
    path("monitoring/indicators/", views.indicators, name="indicators"),
    path("monitoring/indicators/freeze/", views.snapshot_new, name="snapshot_new"),
    path("monitoring/snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("monitoring/snapshots/<int:pk>/xlsx/", views.snapshot_xlsx, name="snapshot_xlsx"),
    path("monitoring/snapshots/<int:pk>/pdf/", views.snapshot_pdf, name="snapshot_pdf"),
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
    path("monitoring/chronicle/new/", views.chronicle_edit, name="chronicle_new"),
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
