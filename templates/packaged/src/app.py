"""Validates an incoming order and returns what was accepted."""
from orders.rules import validate


def handler(event, context):
    problems = validate(event)
    return {"accepted": not problems, "problems": problems}
