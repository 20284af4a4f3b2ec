"""String literals the renderers share: Python's escapes, which a double-quoted YAML scalar reads the same way."""

from __future__ import annotations


def quoted(text: str, quote: str) -> str:
    """`text` between `quote`s, with the quote, backslashes and unprintable characters escaped."""
    escaped = []
    for char in text:
        if char in (quote, "\\"):
            escaped.append("\\" + char)
        elif char.isprintable():
            escaped.append(char)
        else:
            escaped.append(repr(char)[1:-1])  # \n, \t, \x00, \u2028, ...
    return quote + "".join(escaped) + quote


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: always a string, whatever it looks like (`"+14155550100"`, `"true"`)."""
    return quoted(text, '"')
