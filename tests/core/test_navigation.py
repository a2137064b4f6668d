"""The main menu shows each role the areas it may open, and leads to a page it may open."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from lebork_einclusion import roles
from lebork_einclusion.navigation import menu_for


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_menu_entry_leads_to_a_page_the_role_may_open(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    menus = menu_for(user, RequestFactory().get("/"))
    for item in menus["main"] + menus["administration"]:
        assert client.get(item["url"]).status_code == 200, (role, item["url"])


def test_the_finance_officer_reaches_the_equipment_register(make_user):
    user = make_user(roles.FINANCE)
    urls = {item["url"] for item in menu_for(user, RequestFactory().get("/"))["main"]}
    assert reverse("lending:asset_list") in urls
    assert reverse("lending:participant_list") not in urls
