"""English notes for units and successions (issue 14): what `load_units` writes about the 2025 mergers
and successions is our own text, so English pages carry it in English, as 0008 did for the figures' and
sources' notes.

Rows stored before this migration: the registry's notes get their English from the loader itself,
which fills an empty `note_en` where the stored note is still the sentence it writes (`manage.py
seed`, so `make run`, and `load_units` both do); a migration cannot rebuild those sentences without
the registry. The demo data's fixed notes (the synthetic provinces', the demo source's and each demo
value's) are filled here, as 0008 filled the fixtures' notes: only where the Vietnamese note is that
text and no English one is stored."""

from django.db import migrations, models

# services/demo.py, ensure_synthetic_units (copied: a migration does not import the code it outlives).
SYNTHETIC_NOTE = "Đơn vị giả lập cho dữ liệu minh họa."
SYNTHETIC_NOTE_EN = "A synthetic unit for demonstration data."
DEMO_SOURCE_NOTE = "Số liệu giả lập, tất định theo seed, chỉ để minh họa biểu đồ. Không dùng để trích dẫn."
DEMO_SOURCE_NOTE_EN = "Synthetic figures, deterministic from a seed, only to illustrate the charts. Not to be cited."
DEMO_VALUE_NOTE = "Số liệu minh họa (giả lập)."
DEMO_VALUE_NOTE_EN = "Demo figure (synthetic)."


def english_synthetic_notes(apps, schema_editor):
    unit = apps.get_model("indicators", "AdministrativeUnit")
    unit.objects.filter(is_synthetic=True, note=SYNTHETIC_NOTE, note_en="").update(note_en=SYNTHETIC_NOTE_EN)


def english_demo_notes(apps, schema_editor):
    source = apps.get_model("indicators", "Source")
    demo = source.objects.filter(kind="synthetic_demo")
    demo.filter(note=DEMO_SOURCE_NOTE, note_en="").update(note_en=DEMO_SOURCE_NOTE_EN)
    value = apps.get_model("indicators", "IndicatorValue")
    # One UPDATE (420,000 rows at national size); the history keeps its rows: no figure changed.
    value.objects.filter(source__in=demo, note=DEMO_VALUE_NOTE, note_en="").update(note_en=DEMO_VALUE_NOTE_EN)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_note_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="administrativeunit",
            name="note_en",
            field=models.TextField(blank=True, default="", verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.AddField(
            model_name="unitsuccession",
            name="note_en",
            field=models.TextField(blank=True, default="", verbose_name="ghi chú tiếng Anh"),
        ),
        migrations.RunPython(english_synthetic_notes, migrations.RunPython.noop),
        migrations.RunPython(english_demo_notes, migrations.RunPython.noop),
    ]
