"""Order rules, kept apart from the handler so they can be unit-tested."""


def validate(order):
    problems = []
    if not order.get("id"):
        problems.append("missing id")
    if not isinstance(order.get("quantity"), int) or order["quantity"] <= 0:
        problems.append("quantity must be a positive integer")
    return problems
