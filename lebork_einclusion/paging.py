"""Long lists are shown a page at a time: one page size and one way to keep the list's filters
in the links to the other pages."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, rows, per_page: int = PAGE_SIZE) -> Page:
    """The page of `rows` that the request's `page` parameter asks for (the first, or the last,
    when it is not a page number)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's query string without `page`: the filters that the page links carry on."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
