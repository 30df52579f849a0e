"""English titles and publishers for sources (issue 14: English pages showed the demo source's
Vietnamese title). Only our own sources get one: the demo source, whose stored row is filled here where
its title and publisher are still the text `demo_data` writes. A published article or document keeps
the title it was published under, on English pages too."""

from django.db import migrations, models

# services/demo.py (copied: a migration does not import the code it outlives).
DEMO_SOURCE_TITLE = "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức"
DEMO_SOURCE_TITLE_EN = "Demo data (synthetic) — not official figures"
DEMO_SOURCE_PUBLISHER = "Bảng theo dõi CCHC (tạo tự động bằng lệnh demo_data)"
DEMO_SOURCE_PUBLISHER_EN = "CCHC dashboard (made by the demo_data command)"


def english_demo_source(apps, schema_editor):
    demo = apps.get_model("indicators", "Source").objects.filter(kind="synthetic_demo")
    demo.filter(title=DEMO_SOURCE_TITLE, title_en="").update(title_en=DEMO_SOURCE_TITLE_EN)
    demo.filter(publisher=DEMO_SOURCE_PUBLISHER, publisher_en="").update(publisher_en=DEMO_SOURCE_PUBLISHER_EN)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_unit_note_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="title_en",
            field=models.CharField(blank=True, max_length=500, verbose_name="tiêu đề tiếng Anh"),
        ),
        migrations.AddField(
            model_name="source",
            name="publisher_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="cơ quan / nơi đăng, tiếng Anh"),
        ),
        migrations.RunPython(english_demo_source, migrations.RunPython.noop),
    ]
