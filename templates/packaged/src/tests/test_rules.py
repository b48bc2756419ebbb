from orders.rules import validate


def test_missing_id():
    assert validate({"quantity": 1}) == ["missing id"]
