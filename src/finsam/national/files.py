"""Reading an export from a file that may be hostile: its size capped while it is read, its nesting depth
checked before it is parsed, strict JSON (no duplicate keys, no floats, no NaN), and the JSON Schema
its `schema` names (`schema/export-v2.json`, or `export-v1.json` for an association on an older finsam)
validated before anything else is used (ADR 0028)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from finsam.core import uploads

SCHEMA_FOLDER = Path(__file__).resolve().parent / "schema"
# Every version an import reads, by the value of its member `schema`: exports of associations on an older
# finsam are still taken in. The last is the one `national.export` writes.
SCHEMAS = {
    "finsam-national-export-v1": "export-v1.json",
    "finsam-national-export-v2": "export-v2.json",
}
MAX_DEPTH = 10  # the schemas' deepest value is at depth 8 (v2's income table)


class ExportRefused(Exception):
    """A file that is no valid export; the message, in Swedish, says why."""


@functools.cache
def validator(version: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_FOLDER / SCHEMAS[version]).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read_limited(path: Path) -> bytes:
    """At most the limit's bytes of the file: one more means it is too large, whatever its size claims."""
    limit = uploads.limit("national")
    try:
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
    except OSError as error:
        raise ExportRefused(
            _("filen kan inte läsas (%s)") % (error.strerror or type(error).__name__)
        ) from None
    if len(content) > limit:
        raise ExportRefused(uploads.too_large("national"))
    return content


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings not counted."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ExportRefused(_("nyckeln %r förekommer två gånger i samma objekt") % key)
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise ExportRefused(_("talet %s är inget heltal; en export har bara heltal (belopp som text)") % text)


def parse(content: bytes) -> dict[str, Any]:
    """The export as JSON, strictly; an object with a signature, not yet checked against the schema."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ExportRefused(_("filen är inte UTF-8")) from None
    if _depth(text) > MAX_DEPTH:
        raise ExportRefused(_("filen är nästlad djupare än en export är (högst %s nivåer)") % MAX_DEPTH)
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_float=_no_float, parse_constant=_no_float
        )
    except json.JSONDecodeError as error:
        raise ExportRefused(
            _("filen är ingen JSON (rad %(line)s, kolumn %(column)s)")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except ValueError:  # an integer longer than Python reads
        raise ExportRefused(_("filen har ett tal som är för långt")) from None
    if not isinstance(document, dict) or document.get("schema") not in SCHEMAS:
        raise ExportRefused(_("filen är ingen nationell export från finsam (schema %s)") % ", ".join(SCHEMAS))
    if "signature" not in document:
        raise ExportRefused(_("exporten är inte signerad"))
    return document


def validate(document: dict[str, Any]) -> None:
    """Raise ExportRefused naming the first place where the document breaks the schema it names."""
    version = document.get("schema")
    if version not in SCHEMAS:
        raise ExportRefused(_("exporten har ett okänt schema: %r") % version)
    error = best_match(validator(version).iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or _("dokumentet")
        raise ExportRefused(
            _("exporten följer inte schemat %(schema)s vid %(where)s") % {"schema": version, "where": where}
        )


def read(path: Path) -> dict[str, Any]:
    """An export read from a file and checked against the schema (its signature is checked by the import)."""
    document = parse(read_limited(path))
    validate(document)
    return document
