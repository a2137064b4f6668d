from django.shortcuts import render

from lebork_einclusion.models import Project

from .indicators import live_indicators


def home(request):
    project = Project.current()
    indicators = live_indicators(project) if project else []
    return render(request, "monitoring/home.html", {"project": project, "indicators": indicators})
