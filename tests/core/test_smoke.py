def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_shows_the_project(coordinator_client):
    response = coordinator_client.get("/")
    assert response.status_code == 200
    assert "Przeciwdziałanie wykluczeniu cyfrowemu" in response.content.decode()
