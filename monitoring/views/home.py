"""The home page: each role's work first (monitoring/todo.py), then the project's record. The
indicators have their own page (monitoring:indicators), linked from here."""

from django.shortcuts import render

from lebork_einclusion.models import Project

from .. import todo


def home(request):
    return render(
        request,
        "monitoring/home.html",
        {"project": Project.current(), "blocks": todo.blocks_for(request.user)},
    )
