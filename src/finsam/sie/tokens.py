"""Splitting a line of an SIE file into its fields: the general way, which every line can take.

The reader's fast paths (reader.py) read the common lines without it, each exactly as it would.
"""

from __future__ import annotations

import re

from .model import SieSyntaxError

Item = str | tuple[str, ...]
"""A field as split from a line: a string, or the raw items of an object list."""

_SEPARATOR = re.compile(r"[ \t\r\n\x0b\x0c\x1c-\x1f]+")
# A bare field may hold quotes after its first character: some exporters write "ö" as a quote.
_BARE = re.compile(r'[^ \t\r\n\x0b\x0c\x1c-\x1f"{}][^ \t\r\n\x0b\x0c\x1c-\x1f{}]*')
_TO_QUOTE = re.compile(r'(?:[^"\\]|\\.)*"')  # up to the next quote that is not escaped
_ANY_ESCAPE = re.compile(r"\\.")
_ESCAPE = re.compile(r'\\(["\\])')
_AFTER_QUOTE = frozenset(" \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f}")


def tokenize(text: str, line: int) -> tuple[list[Item], list[int]]:
    """Split a stripped line into fields and their 1-based columns.

    A quote inside a quoted text ends it only if a separator, ``}`` or the end of the line follows and
    the rest of the line holds an even number of quotes; otherwise it is part of the text. Standard lines
    (inner quotes escaped as ``\\"``) read the same either way; exporters that write a bare quote for a
    letter they cannot encode (SoftOne writes ``"F"rskott till Lind" Park"``) read as they meant.
    """
    items: list[Item] = []
    columns: list[int] = []
    group: list[str] | None = None
    group_column = 0
    position = 0
    while position < len(text):
        char = text[position]
        column = position + 1
        if char == '"':
            value, position = _quoted(text, position, line)
        elif char == "{":
            if group is not None:
                raise SieSyntaxError("nested_brace", line, column=column, value="{")
            group, group_column, position = [], column, position + 1
            continue
        elif char == "}":
            if group is None:
                raise SieSyntaxError("stray_brace", line, column=column, value="}")
            items.append(tuple(group))
            columns.append(group_column)
            group, position = None, position + 1
            continue
        else:
            separator = _SEPARATOR.match(text, position)
            if separator is not None:
                position = separator.end()
                continue
            bare = _BARE.match(text, position)
            if bare is None:  # every other character starts a bare field
                raise AssertionError(text)
            value, position = bare.group(), bare.end()
        if group is None:
            items.append(value)
            columns.append(column)
        else:
            group.append(value)
    if group is not None:
        raise SieSyntaxError("unclosed_object_list", line, column=group_column, value="{" + " ".join(group))
    return items, columns


def _quoted(text: str, start: int, line: int) -> tuple[str, int]:
    """The text of the quoted field opening at ``start``, and the position after its closing quote."""
    search = start + 1
    while (match := _TO_QUOTE.match(text, search)) is not None:
        close = match.end()
        following = text[close : close + 1]
        if not following or (
            following in _AFTER_QUOTE and not _ANY_ESCAPE.sub("", text[close:]).count('"') % 2
        ):
            value = text[start + 1 : close - 1]
            return (_ESCAPE.sub(r"\1", value) if "\\" in value else value), close
        search = close
    raise SieSyntaxError("unclosed_quote", line, column=start + 1, value=text[start:])
