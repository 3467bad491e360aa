from conftest import login


def test_personas_land_on_their_dashboard(client, enterprise_owner, district_officer):
    for user in (enterprise_owner, district_officer):
        response = login(client, user).get("/dashboard/")
        assert response.status_code == 200
        assert user.get_role_display() in response.content.decode()
