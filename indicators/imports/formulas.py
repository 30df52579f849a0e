"""The arithmetic a layout writes to compute an indicator from its columns, e.g.
`100 * (dang_xu_ly_tre_han + da_xu_ly_tre_han) / (tiep_nhan + ky_truoc)`.

Only numbers, column keys, + - * / and brackets: the text is parsed with `ast` and walked here, never
given to eval. Arithmetic is Decimal. No queries here.
"""

from __future__ import annotations

import ast
import functools
from decimal import Decimal


class FormulaError(ValueError):
    """A layout's formula uses something other than numbers, column keys, + - * / and brackets."""


class NotComputable(ArithmeticError):
    """A formula's input is missing, or it divides by zero: the indicator is left as a gap."""


_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


@functools.cache
def _parse(text: str) -> ast.expr:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise FormulaError(f"formula {text!r} does not parse") from error
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.Name, ast.Constant, ast.Load, ast.UnaryOp, ast.USub, *_OPERATORS)
        if not isinstance(node, allowed):
            raise FormulaError(f"formula {text!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
            raise FormulaError(f"formula {text!r}: only numbers are allowed as constants")
    return tree


def names(text: str) -> frozenset[str]:
    """The column keys a formula reads (FormulaError if it is not a formula of this language)."""
    return frozenset(node.id for node in ast.walk(_parse(text)) if isinstance(node, ast.Name))


def evaluate(text: str, values: dict[str, Decimal | None]) -> Decimal:
    """The formula over `values` (column key -> number); NotComputable for a missing input or a zero divisor."""
    return _walk(_parse(text), values)


def _walk(node: ast.expr, values) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise NotComputable(node.id)
        return value
    if isinstance(node, ast.UnaryOp):
        return -_walk(node.operand, values)
    left, right = _walk(node.left, values), _walk(node.right, values)
    if isinstance(node.op, ast.Div) and right == 0:
        raise NotComputable("/0")
    return _OPERATORS[type(node.op)](left, right)
