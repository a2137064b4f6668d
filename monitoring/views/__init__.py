"""Monitoring pages: thin views that read the request, call a service or a reader, render.

Public pages (no login): the labs' opening hours, their poster, the chronicle and its feeds.
They show units, addresses, hours and the chronicle's published text: nothing personal.
"""
