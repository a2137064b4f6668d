"""Forms and links of an HTML page as a browser sees them: which fields a form sends, with the
values it would send unchanged. Standard library only: the crawler tests (tests/crawl.py) and the
load test (bench/committee_day.py, run with locust outside Django) both use it."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data-url", "data-href"}


@dataclass
class HtmlForm:
    method: str
    action: str
    enctype: str = "application/x-www-form-urlencoded"
    fields: list[tuple[str, str]] = field(default_factory=list)  # as the browser would send
    names: list[str] = field(default_factory=list)  # every named control
    types: dict = field(default_factory=dict)  # name -> input type / "select" / "textarea"
    options: dict = field(default_factory=dict)  # select name -> option values
    required: set = field(default_factory=set)

    def data(self) -> dict:
        """The form as a browser submits it unchanged (lists for repeated names)."""
        out: dict = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._select_chosen: list[str] = []
        self._select_first: str | None = None
        self._option: dict | None = None
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in URL_ATTRIBUTES & set(attrs):
            if attrs[name]:
                self.urls.append(attrs[name])
        if tag == "form":
            self._form = HtmlForm(
                method=(attrs.get("method") or "get").lower(),
                action=attrs.get("action") or "",
                enctype=(attrs.get("enctype") or "application/x-www-form-urlencoded").lower(),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            form.names.append(name)
            form.types[name] = kind
            if "required" in attrs:
                form.required.add(name)
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                form.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            form.names.append(name)
            form.types[name] = "select"
            form.options[name] = []
            if "required" in attrs:
                form.required.add(name)
            self._select = name
            self._select_multiple = "multiple" in attrs
            self._select_chosen, self._select_first = [], None
        elif tag == "option" and self._select:
            self._option = attrs
            value = attrs.get("value")
            self._option_text = []
            if value is not None:
                self._register_option(value)
        elif tag == "textarea" and name:
            form.names.append(name)
            form.types[name] = "textarea"
            if "required" in attrs:
                form.required.add(name)
            self._textarea, self._textarea_text = name, []

    def _register_option(self, value):
        form = self._form
        form.options[self._select].append(value)
        if self._select_first is None:
            self._select_first = value
        if "selected" in self._option:
            self._select_chosen.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)
        if self._option is not None and self._option.get("value") is None:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        form = self._form
        if tag == "option" and self._option is not None:
            if self._option.get("value") is None:
                self._register_option("".join(self._option_text).strip())
            self._option = None
        elif tag == "select" and self._select and form is not None:
            chosen = self._select_chosen
            if not chosen and not self._select_multiple and self._select_first is not None:
                chosen = [self._select_first]
            form.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea and form is not None:
            text = "".join(self._textarea_text)
            form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and form is not None:
            self._form = None


def parse_html(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def forms_of(html: str) -> list[HtmlForm]:
    return parse_html(html).forms


def urls_in(html: str) -> list[str]:
    return parse_html(html).urls
