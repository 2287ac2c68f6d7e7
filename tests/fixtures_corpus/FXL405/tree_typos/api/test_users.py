import pytest


def test_list_users(client, databse):  # expect: FXL405
    assert client


async def test_profile(client, tmp_pth):  # expect: FXL405
    assert client


@pytest.fixture
def admin(client, admin_credentials):  # expect: FXL405
    return (client, admin_credentials)


class TestPermissions:
    @pytest.fixture
    def role(self):
        return "reader"

    def test_reader(self, role, permision_table):  # expect: FXL405
        assert role == "reader"

    @pytest.mark.parametrize("action", ["read", "write"])
    def test_action(self, action, roll):  # expect: FXL405
        assert action
