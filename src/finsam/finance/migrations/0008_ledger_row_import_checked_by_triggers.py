"""A ledger row's import is checked by triggers instead of a foreign key (ADR 0029).

A foreign key checks each row as it goes in: on PostgreSQL a lookup (and a lock) per row at the commit, 3.4 s
of a million-row import. The triggers keep the same rules at less cost:

* A row must name an import that exists, when it is inserted and when its import changes. PostgreSQL checks
  each statement's rows at once (a statement trigger reading the statement's new rows, one join per batch of
  the import, and the imports named locked against deletion until the transaction ends, as a foreign key
  locks them); SQLite, whose triggers are per row, looks the import up per row as its foreign key did.
* An import deleted takes its rows with it (the model's CASCADE, which Django also does itself first), and
  an import with rows cannot change its id.

The model says ``db_constraint=False``; finance's tests insert a row of no import, delete an import and
change ids on both databases, so a later migration that rebuilds the table (SQLite drops a table's triggers
with it) fails them until it puts the triggers back.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION finance_ledgerrow_import_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM finance_ledgerimport
            WHERE id IN (SELECT DISTINCT source_id FROM new_rows) FOR KEY SHARE;
        IF EXISTS (
            SELECT 1 FROM new_rows n
            WHERE NOT EXISTS (SELECT 1 FROM finance_ledgerimport i WHERE i.id = n.source_id)
        ) THEN
            RAISE EXCEPTION 'a ledger row names an import that does not exist'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER finance_ledgerrow_import_insert AFTER INSERT ON finance_ledgerrow
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION finance_ledgerrow_import_check()
    """,
    """
    CREATE TRIGGER finance_ledgerrow_import_update AFTER UPDATE ON finance_ledgerrow
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION finance_ledgerrow_import_check()
    """,
    """
    CREATE FUNCTION finance_ledgerimport_rows_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM finance_ledgerrow WHERE source_id = OLD.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER finance_ledgerimport_rows_delete AFTER DELETE ON finance_ledgerimport
        FOR EACH ROW EXECUTE FUNCTION finance_ledgerimport_rows_delete()
    """,
    """
    CREATE FUNCTION finance_ledgerimport_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM finance_ledgerrow WHERE source_id = OLD.id) THEN
            RAISE EXCEPTION 'an import with ledger rows keeps its id'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER finance_ledgerimport_id_kept BEFORE UPDATE OF id ON finance_ledgerimport
        FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION finance_ledgerimport_id_kept()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER finance_ledgerimport_id_kept ON finance_ledgerimport",
    "DROP FUNCTION finance_ledgerimport_id_kept()",
    "DROP TRIGGER finance_ledgerimport_rows_delete ON finance_ledgerimport",
    "DROP FUNCTION finance_ledgerimport_rows_delete()",
    "DROP TRIGGER finance_ledgerrow_import_update ON finance_ledgerrow",
    "DROP TRIGGER finance_ledgerrow_import_insert ON finance_ledgerrow",
    "DROP FUNCTION finance_ledgerrow_import_check()",
]
SQLITE = [
    """
    CREATE TRIGGER finance_ledgerrow_import_insert BEFORE INSERT ON finance_ledgerrow
    WHEN NOT EXISTS (SELECT 1 FROM finance_ledgerimport WHERE id = NEW.source_id)
    BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a ledger row of no import'); END
    """,
    """
    CREATE TRIGGER finance_ledgerrow_import_update BEFORE UPDATE OF source_id ON finance_ledgerrow
    WHEN NOT EXISTS (SELECT 1 FROM finance_ledgerimport WHERE id = NEW.source_id)
    BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a ledger row of no import'); END
    """,
    """
    CREATE TRIGGER finance_ledgerimport_rows_delete AFTER DELETE ON finance_ledgerimport
    BEGIN DELETE FROM finance_ledgerrow WHERE source_id = OLD.id; END
    """,
    """
    CREATE TRIGGER finance_ledgerimport_id_kept BEFORE UPDATE OF id ON finance_ledgerimport
    WHEN OLD.id IS NOT NEW.id AND EXISTS (SELECT 1 FROM finance_ledgerrow WHERE source_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: an import with ledger rows keeps its id'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER finance_ledgerimport_id_kept",
    "DROP TRIGGER finance_ledgerimport_rows_delete",
    "DROP TRIGGER finance_ledgerrow_import_update",
    "DROP TRIGGER finance_ledgerrow_import_insert",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0007_ledger_row_association_unchecked"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ledgerrow",
            name="source",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=models.deletion.CASCADE,
                related_name="ledger_rows",
                to="finance.ledgerimport",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
