"""Text typed into a search box, made fit for a query (issue 12).

PostgreSQL refuses a NUL byte in a string literal, so `?q=%00` on a list page was a server error;
other control and format characters match nothing a person typed and only make odd queries. One
helper for every search box of every app: control and format characters dropped, whitespace
collapsed, at most MAX_SEARCH_LENGTH characters (a search longer than that is not a search).
"""

import unicodedata

MAX_SEARCH_LENGTH = 100


def search_text(value) -> str:
    """The search text of a GET parameter or a form field: '' for anything empty."""
    text = "".join(
        " " if char.isspace() else char
        for char in str(value or "")
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]
