import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from localflavor.pl.forms import PLPESELField

from lebork_einclusion.people import earliest_birth_date
from lebork_einclusion.pesel import age_on, birth_date, make_pesel, sex, validate_pesel


@pytest.mark.parametrize(
    ("pesel", "born", "sex_"),
    [
        ("44051401359", datetime.date(1944, 5, 14), "M"),
        ("02211307589", datetime.date(2002, 1, 13), "F"),
    ],
)
def test_the_examples_of_the_domain_notes(pesel, born, sex_):
    assert validate_pesel(pesel) == pesel
    assert birth_date(pesel) == born
    assert sex(pesel) == sex_


@pytest.mark.parametrize(
    ("pesel", "code"),
    [("44051401358", "checksum"), ("4405140135", "invalid"), ("44053201353", "birthdate")],
)
def test_bad_numbers_are_refused(pesel, code):
    with pytest.raises(ValidationError) as caught:
        validate_pesel(pesel)
    assert caught.value.error_list[0].code == code


@given(
    st.dates(datetime.date(1800, 1, 1), datetime.date(2299, 12, 31)),
    st.integers(0, 999),
    st.booleans(),
)
def test_made_numbers_have_a_valid_checksum_and_say_what_they_were_made_from(born, serial, female):
    pesel = make_pesel(born, serial, female)
    assert PLPESELField().clean(pesel) == pesel  # every century the number can encode
    assert birth_date(pesel) == born
    assert sex(pesel) == ("F" if female else "M")


# The project accepts the birth dates of living people only (lebork_einclusion/people.py).
@given(
    st.dates(earliest_birth_date(), datetime.date.today() - datetime.timedelta(days=1)),
    st.integers(0, 999),
    st.booleans(),
)
def test_made_numbers_of_living_people_are_valid(born, serial, female):
    pesel = make_pesel(born, serial, female)
    assert validate_pesel(pesel) == pesel


def test_age_turns_on_the_birthday():
    pesel = make_pesel(datetime.date(1994, 9, 5), 1, True)
    assert age_on(pesel, datetime.date(2012, 9, 4)) == 17
    assert age_on(pesel, datetime.date(2012, 9, 5)) == 18
