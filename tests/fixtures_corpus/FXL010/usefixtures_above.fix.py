import pytest

from myapp.accounts import User


@pytest.fixture
def clean_database(db):
    db.truncate_all()


# Every user test starts from an empty database.
# expect: FXL010
@pytest.fixture
def user():
    return User.create("alice")


@pytest.mark.usefixtures("clean_database")
def test_user_name(user):
    assert user.name == "alice"
