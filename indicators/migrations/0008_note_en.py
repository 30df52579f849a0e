"""English notes for figures, sources and the computed index's schemes (its method notes): the notes are our own text, so English pages carry them in
English (the quotes stay as published). Rows stored before this migration get the English note that
the fixtures give for the same Vietnamese note; `seed` keeps stored rows as they are."""

import json
from pathlib import Path

from django.db import migrations, models

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
FILES = {
    "indicatorvalue": ("seed_values.json", "province_values.json"),
    "source": ("sources.json", "events.json"),
}


def english_schemes(apps, schema_editor):
    path = FIXTURES / "scoring.json"
    if not path.exists():
        return
    model = apps.get_model("indicators", "ScoringScheme")
    for record in json.loads(path.read_text(encoding="utf-8")):
        fields = record.get("fields", {})
        if record.get("model") == "indicators.scoringscheme" and fields.get("note_en"):
            model.objects.filter(valid_from_year=fields["valid_from_year"], note=fields["note"], note_en="").update(
                name_en=fields["name_en"], note_en=fields["note_en"]
            )


def english_notes(apps, schema_editor):
    for model_name, files in FILES.items():
        model = apps.get_model("indicators", model_name)
        for name in files:
            path = FIXTURES / name
            if not path.exists():
                continue
            for record in json.loads(path.read_text(encoding="utf-8")):
                fields = record.get("fields", {})
                if fields.get("note") and fields.get("note_en"):
                    model.objects.filter(note=fields["note"], note_en="").update(note_en=fields["note_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_demo_profile_none"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicatorvalue",
            name="note_en",
            field=models.TextField(blank=True, verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="note_en",
            field=models.TextField(blank=True, verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.AddField(
            model_name="source",
            name="note_en",
            field=models.TextField(blank=True, verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.AddField(
            model_name="scoringscheme",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="tên tiếng Anh"),
        ),
        migrations.AddField(
            model_name="scoringscheme",
            name="note_en",
            field=models.TextField(blank=True, verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.RunPython(english_notes, migrations.RunPython.noop),
        migrations.RunPython(english_schemes, migrations.RunPython.noop),
    ]
