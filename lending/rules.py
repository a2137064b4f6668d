"""Lending's pure rules: the agreement's term, the obligations of §6 as printed, the return
period, and the checking of a delivery list. Plain functions over plain data: no ORM, no
request (the services and the import command both call them)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lebork_einclusion.models import add_years

# §6.1: the household uses the set for 3 years counted from the handover.
TERM_YEARS = 3

# §7.5 says the equipment comes back but not by when: the product asks for it within two weeks
# of the end of participation unless the coordinator sets another date.
RETURN_DAYS = 14

# The obligations of §6, in the words printed on every agreement (Polish: the paper is Polish).
# Points 1-8 follow the Regulation; the closing points restate Kodeks cywilny art. 710-719.
OBLIGATIONS = (
    "1. Biorący w użyczenie przyjmuje nieodpłatnie do używania, na okres 3 lat liczony od dnia "
    "przekazania, sprzęt komputerowy wraz z oprogramowaniem i dostępem do Internetu, wymieniony "
    "w § 2 umowy, i zobowiązuje się do pokrywania kosztów energii elektrycznej koniecznej do "
    "pracy zestawu komputerowego.\n"
    "2. Biorący w użyczenie zobowiązuje się używać przekazanego sprzętu zgodnie z obowiązującymi "
    "przepisami prawa i przyjmuje na siebie pełną odpowiedzialność prawną powstałą w wyniku "
    "działalności sprzecznej z przepisami prawa.\n"
    "3. Biorący w użyczenie zobowiązuje się dochować należytej staranności w używaniu "
    "powierzonego sprzętu, a w przypadku jego uszkodzenia lub zniszczenia wyraża zgodę na "
    "dochodzenie przez Użyczającego zwrotu kosztów koniecznych napraw lub zakupu nowego sprzętu.\n"
    "4. Biorący w użyczenie zobowiązuje się nie zbywać sprzętu i nie obciążać go żadnym prawem "
    "na rzecz osób trzecich, a w przypadku jego zbycia wyraża zgodę na dochodzenie przez "
    "Użyczającego zwrotu kosztów zakupu nowego sprzętu.\n"
    "5. Biorący w użyczenie zobowiązuje się udostępniać sprzęt na żądanie Użyczającego w celu "
    "jego serwisowania i modernizacji oraz uczestniczyć w działaniach kontrolnych "
    "przeprowadzanych przez Użyczającego.\n"
    "6. Biorący w użyczenie zobowiązuje się natychmiast poinformować Użyczającego o utracie "
    "kwalifikowalności do udziału w Projekcie poprzez niespełnianie jakiegokolwiek kryterium "
    "określonego w § 4 Regulaminu.\n"
    "7. Biorący w użyczenie zobowiązuje się uczestniczyć w szkoleniach związanych z nabyciem "
    "umiejętności obsługi komputera i korzystania z Internetu.\n"
    "8. Biorący w użyczenie zabezpiecza roszczenia Użyczającego w przypadku zdarzeń wskazanych "
    "w pkt 3 i 4 wekslem in blanco wraz z deklaracją wekslową, stanowiącą załącznik do umowy.\n"
    "9. Biorący w użyczenie nie może oddać sprzętu do używania osobie trzeciej i ponosi zwykłe "
    "koszty jego utrzymania (art. 713-714 Kodeksu cywilnego).\n"
    "10. Po zakończeniu umowy, a także w razie rezygnacji, zakończenia udziału lub wykluczenia "
    "z Projektu (§ 7 Regulaminu), Biorący w użyczenie zwraca sprzęt w stanie nie gorszym ponad "
    "zużycie wynikające z jego prawidłowej eksploatacji."
)


def term_end(handed_over_on: datetime.date, years: int = TERM_YEARS) -> datetime.date:
    """The last day of the loan: the same date `years` later (29 February -> 28 February)."""
    return add_years(handed_over_on, years)


def return_due(ended_on: datetime.date) -> datetime.date:
    return ended_on + datetime.timedelta(days=RETURN_DAYS)


def obligations_list(text: str) -> list[str]:
    """The stored obligations as the numbered points the papers print."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the delivery list ----------------------------------------------------------------------------

# Column names accepted in a delivery list (lower case; Polish and English headers).
COLUMNS = {
    "kind": ("rodzaj", "kind", "typ"),
    "make_model": ("marka i model", "model", "make and model", "make_model", "nazwa"),
    "serial_number": ("numer seryjny", "nr seryjny", "serial number", "serial", "s/n"),
    "inventory_number": ("numer inwentarzowy", "nr inwentarzowy", "inventory number"),
    "value": ("wartość", "wartość brutto", "value", "cena"),
    "warranty_until": ("gwarancja do", "warranty until", "gwarancja"),
}
REQUIRED_COLUMNS = ("kind", "make_model", "serial_number", "value")

# Words a supplier's list uses for each kind of asset (lower case).
KIND_WORDS = {
    "computer_set": ("computer_set", "zestaw komputerowy", "zestaw", "komputer", "computer set"),
    "laptop": ("laptop", "notebook", "komputer przenośny"),
    "monitor": ("monitor",),
    "router": ("router", "modem", "router/modem", "router lub modem", "router or modem"),
    "ups": ("ups", "zasilacz awaryjny"),
    "software": ("software", "licencja", "oprogramowanie", "software licence"),
}


@dataclass(frozen=True)
class DeliveryRow:
    row: int
    kind: str
    make_model: str
    serial_number: str
    inventory_number: str
    value: Decimal
    warranty_until: datetime.date | None


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _money(value) -> Decimal | None:
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = _text(value).replace("zł", "").replace("\xa0", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
    if amount <= 0 or amount.as_tuple().exponent < -2:
        return None
    return amount


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _kind(value) -> str | None:
    word = _text(value).lower()
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    return None


def _columns(headers) -> dict[str, str]:
    """field -> the header used for it in this file."""
    found = {}
    for field_name, names in COLUMNS.items():
        for header in headers:
            if header in names:
                found[field_name] = header
                break
    return found


def serials_in(rows: list[dict]) -> set[str]:
    """The serial numbers a delivery list names (to look them up in the register at once)."""
    headers = {key for row in rows for key in row if key != "_row"}
    header = _columns(headers).get("serial_number")
    if header is None:
        return set()
    return {_text(row.get(header)).upper() for row in rows if _text(row.get(header))}


def check_delivery(
    rows: list[dict],
    registered_serials: set[str],
    registered_inventory: set[str],
    limits: dict[str, int] | None = None,
) -> tuple[list[DeliveryRow], list[Problem]]:
    """Every row of a delivery list checked before anything is saved: the required columns,
    a known kind, a value, a date, serial and inventory numbers unique in the file and in the
    register, and no text longer than `limits` allows (column -> the register's max length).
    Returns (rows, problems); the rows count only when there are no problems."""
    limits = limits or {}
    if not rows:
        return [], [Problem(None, _("The file has no rows of equipment."))]
    headers = {key for row in rows for key in row if key != "_row"}
    columns = _columns(headers)
    missing = [field_name for field_name in REQUIRED_COLUMNS if field_name not in columns]
    if missing:
        names = ", ".join(f"„{COLUMNS[m][0]}”" for m in missing)
        return [], [
            Problem(None, _("Columns missing from the file: %(names)s.") % {"names": names})
        ]
    result, problems = [], []
    serial_rows: dict[str, int] = {}
    inventory_rows: dict[str, int] = {}
    for raw in rows:
        number = raw.get("_row")
        row_problems = []

        def value_of(field_name, raw=raw):
            header = columns.get(field_name)
            return raw.get(header) if header else None

        kind = _kind(value_of("kind"))
        if kind is None:
            row_problems.append(
                _("unknown kind of equipment „%(value)s”.") % {"value": _text(value_of("kind"))}
            )
        make_model = _text(value_of("make_model"))
        if not make_model:
            row_problems.append(_("the make and model are missing."))
        serial = _text(value_of("serial_number")).upper()
        if not serial:
            row_problems.append(_("the serial number is missing."))
        elif serial in serial_rows:
            row_problems.append(
                _("serial number %(serial)s is also in row %(other)d.")
                % {"serial": serial, "other": serial_rows[serial]}
            )
        elif serial in registered_serials:
            row_problems.append(
                _("serial number %(serial)s is already in the register.") % {"serial": serial}
            )
        inventory = _text(value_of("inventory_number"))
        if inventory and inventory in inventory_rows:
            row_problems.append(
                _("inventory number %(number)s is also in row %(other)d.")
                % {"number": inventory, "other": inventory_rows[inventory]}
            )
        elif inventory and inventory in registered_inventory:
            row_problems.append(
                _("inventory number %(number)s is already in the register.") % {"number": inventory}
            )
        value = _money(value_of("value"))
        if value is None:
            row_problems.append(
                _("the value „%(value)s” is not an amount in PLN above zero.")
                % {"value": _text(value_of("value"))}
            )
        warranty_raw = value_of("warranty_until")
        warranty = _date(warranty_raw) if _text(warranty_raw) else None
        if _text(warranty_raw) and warranty is None:
            row_problems.append(
                _("the warranty date „%(value)s” is not a date (DD.MM.YYYY).")
                % {"value": _text(warranty_raw)}
            )
        for field_name, text in (
            ("make_model", make_model),
            ("serial_number", serial),
            ("inventory_number", inventory),
        ):
            limit = limits.get(field_name)
            if limit is not None and len(text) > limit:
                row_problems.append(
                    _("„%(column)s” is longer than %(limit)d characters (it has %(length)d).")
                    % {"column": COLUMNS[field_name][0], "limit": limit, "length": len(text)}
                )
        if serial and serial not in serial_rows:
            serial_rows[serial] = number
        if inventory and inventory not in inventory_rows:
            inventory_rows[inventory] = number
        if row_problems:
            problems.extend(Problem(number, message) for message in row_problems)
            continue
        result.append(DeliveryRow(number, kind, make_model, serial, inventory, value, warranty))
    return (result if not problems else []), problems
