"""The rating instrument finsam ships: the five areas of seed 001 (SKAPA), each rated 1–10."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

AREAS = (
    ("halsa", "Hälsa"),
    ("motivation", "Motivation"),
    ("livssituation", "Livssituation"),
    ("kompetens", "Kompetens"),
    ("arbetsmarknadskunskap", "Arbetsmarknadskunskap"),
)


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Instrument = apps.get_model("participants", "Instrument")
    Area = apps.get_model("participants", "Area")
    instrument, _ = Instrument.objects.get_or_create(
        association=None,
        code="SKAPA",
        defaults={"name": "Skattning (SKAPA-områden)", "scale_min": 1, "scale_max": 10},
    )
    for position, (code, name) in enumerate(AREAS, start=1):
        Area.objects.get_or_create(
            instrument=instrument, code=code, defaults={"position": position, "name": name}
        )


def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("participants", "Instrument").objects.filter(association=None, code="SKAPA").delete()


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
