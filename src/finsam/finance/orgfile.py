"""The finance part of the organisation file (docs/organisation-file.md): the statement rows with the accounts
and objects each takes, and the cost-sharing agreements. Registered with `finsam.organisation.orgfile` by the
app config, it is checked with the rest of the file and applied in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from finsam.core import services as core
from finsam.core.audit import Actor
from finsam.finance.accounts_spec import SpecError, parse_accounts, parse_object
from finsam.finance.models import CostSharing, StatementRow
from finsam.organisation.models import Association, Member
from finsam.organisation.orgfile import Checker, Part, unique, upsert

ROW_KEYS = {
    "code",
    "name",
    "section",
    "category",
    "accounts",
    "object",
    "member",
    "budget_only",
    "yearly_amount",
    "use_of_equity",
}
SHARING_KEYS = {"partner", "description", "accounts", "object", "share"}


@dataclass
class Plan:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sharing: list[dict[str, Any]] = field(default_factory=list)


def _check_rows(check: Checker, raw: Any, statement: str, plan: Plan, member_codes: set[str]) -> None:
    is_income = statement == StatementRow.Statement.INCOME
    sections = (
        ["income", "operations", "administration", "financial"] if is_income else ["assets", "liabilities"]
    )
    categories = [c.value for c in StatementRow.Category]
    rows = []
    for i, item in enumerate(check.items(raw, statement)):
        path = f"{statement}[{i}]"
        data = check.mapping(item, path, ROW_KEYS, {"code", "name", "section"})
        row = {
            "code": check.code(data, "code", path),
            "name": check.text(data, "name", path, required=True),
            "section": check.choice(data, "section", path, sections),
            "category": check.choice(data, "category", path, categories, blank=True),
            "accounts": check.text(data, "accounts", path, max_length=300),
            "object": check.text(data, "object", path, max_length=100),
            "member": check.choice(data, "member", path, sorted(member_codes), blank=True),
            "budget_only": check.boolean(data, "budget_only", path),
            "yearly_amount": check.boolean(data, "yearly_amount", path),
            "use_of_equity": check.boolean(data, "use_of_equity", path),
        }
        try:
            if row["accounts"]:
                parse_accounts(str(row["accounts"]))
            if row["object"]:
                parse_object(str(row["object"]))
        except SpecError as error:
            key = "object" if error.expected.startswith("dimension") else "accounts"
            check.fail(f"{path}.{key}", error.value, error.expected)
        if not row["accounts"] and not row["budget_only"]:
            check.fail(f"{path}.accounts", None, _("konton, eller budget_only: true"))
        if row["use_of_equity"] and row["section"] != StatementRow.Section.INCOME:
            check.fail(f"{path}.use_of_equity", True, _("en rad med section: income"))
        rows.append(row)
    unique(check, rows, "code", statement)
    plan.rows[statement] = rows


def _check_sharing(check: Checker, raw: Any, plan: Plan) -> None:
    for i, item in enumerate(check.items(raw, "cost_sharing")):
        path = f"cost_sharing[{i}]"
        data = check.mapping(item, path, SHARING_KEYS, {"partner", "description", "share"})
        share = check.fraction(data, "share", path)
        rule = {
            "partner": check.text(data, "partner", path),
            "description": check.text(data, "description", path),
            "accounts": check.text(data, "accounts", path, max_length=300) or "4000-7999",
            "object": check.text(data, "object", path, max_length=100),
            "share": share,
        }
        try:
            parse_accounts(str(rule["accounts"]))
            if rule["object"]:
                parse_object(str(rule["object"]))
        except SpecError as error:
            check.fail(
                f"{path}.{'object' if error.expected.startswith('dimension') else 'accounts'}",
                error.value,
                error.expected,
            )
        plan.sharing.append(rule)


def _check(check: Checker, top: dict[str, Any], member_codes: set[str]) -> Plan:
    plan = Plan()
    for statement in StatementRow.Statement:
        _check_rows(check, top.get(statement.value), statement.value, plan, member_codes)
    _check_sharing(check, top.get("cost_sharing"), plan)
    return plan


def _apply_rows(actor: Actor, association: Association, plan: Plan, members: dict[str, Member]) -> None:
    for statement, rows in plan.rows.items():
        if not rows:
            continue
        existing = {r.code: r for r in association.statement_rows.filter(statement=statement)}
        # Positions are rewritten in a second pass, so a reordering never collides half-way.
        for position, data in enumerate(rows, start=1):
            row = existing.pop(data["code"], None) or StatementRow(
                association=association, statement=statement
            )
            values = data | {"member": members.get(data["member"]), "position": position}
            upsert(actor, association, row, values)
        for stale in existing.values():
            core.delete(actor, stale, association=association)


def _apply(actor: Actor, association: Association, plan: Plan, members: dict[str, Member]) -> None:
    _apply_rows(actor, association, plan, members)
    for rule in plan.sharing:
        existing = CostSharing.objects.filter(
            association=association, partner=rule["partner"], description=rule["description"]
        ).first()
        upsert(actor, association, existing or CostSharing(association=association), rule)


PART = Part(frozenset({"income_statement", "balance_sheet", "cost_sharing"}), _check, _apply)
