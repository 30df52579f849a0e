# The history before the first deployment, squashed; `replaces` keeps a database migrated before it working.

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

# The two roles of DESIGN.md, as groups. Their rights come from indicators/permissions.py (rules),
# not from model permissions, so the groups carry none.
ROLE_GROUPS = ["District admin", "Provincial staff"]


def create_role_groups_and_data_version(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    apps.get_model("indicators", "DataVersion").objects.get_or_create(pk=1)


def delete_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()



class Migration(migrations.Migration):

    replaces = [('indicators', '0001_initial'), ('indicators', '0002_index_targets_events'), ('indicators', '0002_data_version'), ('indicators', '0003_merge_0002_data_version_0002_index_targets_events'), ('indicators', '0002_entry_review'), ('indicators', '0004_merge_20261126_0545'), ('indicators', '0005_source_unit'), ('indicators', '0005_import_summary'), ('indicators', '0006_merge_0005_import_summary_0005_source_unit')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReformArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='mã')),
                ('name', models.CharField(max_length=200, verbose_name='tên')),
                ('name_en', models.CharField(max_length=200, verbose_name='tên tiếng Anh')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('description', models.TextField(blank=True, verbose_name='mô tả')),
                ('description_en', models.TextField(blank=True, verbose_name='mô tả tiếng Anh')),
                ('in_resolution_76', models.BooleanField(default=True, help_text='Sai với 2 lĩnh vực chỉ có trong PAR INDEX: chỉ đạo, điều hành và tác động của CCHC.', verbose_name='thuộc 6 lĩnh vực của Nghị quyết 76')),
            ],
            options={
                'verbose_name': 'lĩnh vực cải cách',
                'verbose_name_plural': 'lĩnh vực cải cách',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=80, unique=True, verbose_name='mã')),
                ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                ('publisher', models.CharField(blank=True, max_length=300, verbose_name='cơ quan / nơi đăng')),
                ('author', models.CharField(blank=True, max_length=200, verbose_name='tác giả')),
                ('published_on', models.DateField(blank=True, null=True, verbose_name='ngày đăng')),
                ('date_note', models.CharField(blank=True, help_text="Ví dụ: 'đầu năm 2024' khi không rõ ngày.", max_length=200, verbose_name='ghi chú về ngày')),
                ('url', models.URLField(blank=True, verbose_name='địa chỉ')),
                ('kind', models.CharField(choices=[('news_article', 'Bài báo'), ('official_document', 'Văn bản chính thức'), ('data_entry', 'Nhập liệu'), ('import', 'Nhập từ tệp'), ('synthetic_demo', 'Dữ liệu minh họa (giả lập)')], max_length=30, verbose_name='loại nguồn')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'nguồn',
                'verbose_name_plural': 'nguồn',
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='AdministrativeUnit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Mã đơn vị hành chính của Tổng cục Thống kê (GSO).', max_length=20, unique=True, verbose_name='mã')),
                ('name', models.CharField(max_length=200, verbose_name='tên')),
                ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                ('level', models.CharField(choices=[('province', 'Tỉnh / thành phố'), ('district', 'Cấp huyện'), ('commune', 'Cấp xã')], max_length=20, verbose_name='cấp')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='hiệu lực từ')),
                ('valid_to', models.DateField(blank=True, help_text='Để trống nếu còn hiệu lực.', null=True, verbose_name='hiệu lực đến')),
                ('is_synthetic', models.BooleanField(default=False, help_text='Chỉ dùng cho dữ liệu minh họa / đo hiệu năng.', verbose_name='đơn vị giả lập')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='indicators.administrativeunit', verbose_name='trực thuộc')),
            ],
            options={
                'verbose_name': 'đơn vị hành chính',
                'verbose_name_plural': 'đơn vị hành chính',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=80, unique=True, verbose_name='mã')),
                ('name', models.CharField(max_length=300, verbose_name='tên')),
                ('name_en', models.CharField(max_length=300, verbose_name='tên tiếng Anh')),
                ('short_name', models.CharField(blank=True, max_length=80, verbose_name='tên ngắn')),
                ('short_name_en', models.CharField(blank=True, max_length=80, verbose_name='tên ngắn tiếng Anh')),
                ('unit_kind', models.CharField(choices=[('count', 'số lượng'), ('percent', 'tỷ lệ %'), ('rank', 'thứ hạng'), ('score', 'điểm'), ('per_day', 'lượt/ngày')], max_length=20, verbose_name='loại đơn vị đo')),
                ('higher_is_better', models.BooleanField(blank=True, help_text='Để trống nếu chỉ tiêu trung tính.', null=True, verbose_name='cao hơn là tốt hơn')),
                ('decimals', models.PositiveSmallIntegerField(default=0, verbose_name='số chữ số thập phân')),
                ('min_value', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='giá trị nhỏ nhất')),
                ('max_value', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='giá trị lớn nhất')),
                ('definition', models.TextField(verbose_name='định nghĩa')),
                ('definition_en', models.TextField(blank=True, verbose_name='định nghĩa tiếng Anh')),
                ('why_it_matters', models.TextField(blank=True, verbose_name='ý nghĩa')),
                ('why_it_matters_en', models.TextField(blank=True, verbose_name='ý nghĩa tiếng Anh')),
                ('framework', models.CharField(choices=[('par_index', 'PAR INDEX (QĐ 876/QĐ-BNV)'), ('decision_766', 'Bộ chỉ số QĐ 766/QĐ-TTg'), ('provincial', 'Chỉ tiêu của tỉnh'), ('other', 'Khác')], max_length=20, verbose_name='khung đánh giá')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('is_headline', models.BooleanField(default=False, help_text='Hiện trên trang chủ.', verbose_name='chỉ tiêu chính')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='indicators.reformarea', verbose_name='lĩnh vực')),
            ],
            options={
                'verbose_name': 'chỉ tiêu',
                'verbose_name_plural': 'chỉ tiêu',
                'ordering': ['area__order', 'order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='giá trị')),
                ('qualifier', models.CharField(choices=[('exact', 'chính xác'), ('approximately', 'gần (xấp xỉ, dưới)'), ('more_than', 'hơn'), ('less_than', 'dưới'), ('average', 'trung bình')], default='exact', max_length=20, verbose_name='mức chính xác')),
                ('status', models.CharField(choices=[('draft', 'Nháp'), ('submitted', 'Đã gửi'), ('approved', 'Đã duyệt'), ('returned', 'Trả lại')], default='draft', max_length=20, verbose_name='trạng thái')),
                ('quote', models.TextField(blank=True, help_text='Nguyên văn câu chữ mà số liệu được lấy ra.', verbose_name='trích dẫn')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('review_comment', models.TextField(blank=True, verbose_name='ý kiến thẩm định')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='indicators.indicator', verbose_name='chỉ tiêu')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='indicators.administrativeunit', verbose_name='đơn vị')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='values', to='indicators.source', verbose_name='nguồn')),
            ],
            options={
                'verbose_name': 'số liệu',
                'verbose_name_plural': 'số liệu',
                'ordering': ['indicator', 'unit', 'year'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalIndicatorValue',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='giá trị')),
                ('qualifier', models.CharField(choices=[('exact', 'chính xác'), ('approximately', 'gần (xấp xỉ, dưới)'), ('more_than', 'hơn'), ('less_than', 'dưới'), ('average', 'trung bình')], default='exact', max_length=20, verbose_name='mức chính xác')),
                ('status', models.CharField(choices=[('draft', 'Nháp'), ('submitted', 'Đã gửi'), ('approved', 'Đã duyệt'), ('returned', 'Trả lại')], default='draft', max_length=20, verbose_name='trạng thái')),
                ('quote', models.TextField(blank=True, help_text='Nguyên văn câu chữ mà số liệu được lấy ra.', verbose_name='trích dẫn')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('review_comment', models.TextField(blank=True, verbose_name='ý kiến thẩm định')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='cập nhật lúc')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.administrativeunit', verbose_name='đơn vị')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator', verbose_name='chỉ tiêu')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.source', verbose_name='nguồn')),
            ],
            options={
                'verbose_name': 'historical số liệu',
                'verbose_name_plural': 'historical số liệu',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='giá trị')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.indicator', verbose_name='chỉ tiêu')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.source', verbose_name='nguồn')),
                ('unit', models.ForeignKey(blank=True, help_text='Để trống: áp dụng cho cả tỉnh.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='indicators.administrativeunit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'mục tiêu',
                'verbose_name_plural': 'mục tiêu',
                'ordering': ['indicator', 'year'],
            },
        ),
        migrations.CreateModel(
            name='UnitSuccession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='ngày hiệu lực')),
                ('kind', models.CharField(choices=[('merge', 'Hợp nhất'), ('split', 'Chia tách'), ('rename', 'Đổi tên'), ('absorbed', 'Sáp nhập / chấm dứt cấp')], max_length=20, verbose_name='hình thức')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('predecessor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='successions', to='indicators.administrativeunit', verbose_name='đơn vị trước')),
                ('successor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='predecessions', to='indicators.administrativeunit', verbose_name='đơn vị kế thừa')),
            ],
            options={
                'verbose_name': 'kế thừa đơn vị',
                'verbose_name_plural': 'kế thừa đơn vị',
                'ordering': ['date', 'predecessor__code'],
            },
        ),
        migrations.AddConstraint(
            model_name='administrativeunit',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='unit_valid_to_after_valid_from'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(('min_value__isnull', True), ('max_value__isnull', True), ('max_value__gte', models.F('min_value')), _connector='OR'), name='indicator_bounds_ordered'),
        ),
        migrations.AddIndex(
            model_name='indicatorvalue',
            index=models.Index(fields=['indicator', 'year', 'status'], name='value_indicator_year_status'),
        ),
        migrations.AddIndex(
            model_name='indicatorvalue',
            index=models.Index(fields=['unit', 'year'], name='value_unit_year'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.UniqueConstraint(fields=('indicator', 'unit', 'year'), name='unique_value_per_indicator_unit_year'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='value_year_in_range'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='value_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('unit__isnull', False)), fields=('indicator', 'unit', 'year'), name='unique_unit_target'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('unit__isnull', True)), fields=('indicator', 'year'), name='unique_province_target'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='target_year_in_range'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.UniqueConstraint(fields=('predecessor', 'successor', 'date'), name='unique_succession'),
        ),
        migrations.AddConstraint(
            model_name='unitsuccession',
            constraint=models.CheckConstraint(condition=models.Q(('predecessor', models.F('successor')), _negated=True), name='succession_not_self'),
        ),
        migrations.CreateModel(
            name='ReportingDeadline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='năm số liệu')),
                ('due_on', models.DateField(verbose_name='hạn báo cáo')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'hạn báo cáo',
                'verbose_name_plural': 'hạn báo cáo',
                'ordering': ['year'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=80, unique=True, verbose_name='mã')),
                ('date', models.DateField(verbose_name='ngày')),
                ('title', models.CharField(max_length=300, verbose_name='tiêu đề')),
                ('title_en', models.CharField(blank=True, max_length=300, verbose_name='tiêu đề tiếng Anh')),
                ('kind', models.CharField(choices=[('reorganisation', 'Sắp xếp đơn vị hành chính'), ('document', 'Văn bản mới'), ('other', 'Khác')], max_length=20, verbose_name='loại')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='indicators.source', verbose_name='nguồn')),
            ],
            options={
                'verbose_name': 'sự kiện',
                'verbose_name_plural': 'sự kiện',
                'ordering': ['date', 'code'],
            },
        ),
        migrations.CreateModel(
            name='ScoringScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from_year', models.PositiveSmallIntegerField(unique=True, verbose_name='áp dụng từ năm')),
                ('name', models.CharField(max_length=200, verbose_name='tên')),
                ('min_indicators_to_rank', models.PositiveSmallIntegerField(help_text='Huyện có ít chỉ tiêu hơn vẫn có điểm, nhưng không được xếp hạng.', verbose_name='số chỉ tiêu tối thiểu để xếp hạng')),
                ('band_good', models.DecimalField(decimal_places=2, default=Decimal('80'), max_digits=5, verbose_name='ngưỡng Tốt')),
                ('band_fair', models.DecimalField(decimal_places=2, default=Decimal('65'), max_digits=5, verbose_name='ngưỡng Khá')),
                ('band_average', models.DecimalField(decimal_places=2, default=Decimal('50'), max_digits=5, verbose_name='ngưỡng Trung bình')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'bộ tiêu chí chấm điểm',
                'verbose_name_plural': 'bộ tiêu chí chấm điểm',
                'ordering': ['valid_from_year'],
                'constraints': [models.CheckConstraint(condition=models.Q(('band_good__gte', models.F('band_fair')), ('band_fair__gte', models.F('band_average'))), name='scheme_bands_ordered')],
            },
        ),
        migrations.CreateModel(
            name='ScoringComponent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weight', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='trọng số')),
                ('scaling', models.CharField(choices=[('minmax', 'Min–max giữa các huyện'), ('target', 'So với mục tiêu')], default='minmax', max_length=10, verbose_name='cách quy đổi')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='indicators.reformarea', verbose_name='lĩnh vực')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='indicators.indicator', verbose_name='chỉ tiêu')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='components', to='indicators.scoringscheme')),
            ],
            options={
                'verbose_name': 'thành phần chỉ số',
                'verbose_name_plural': 'thành phần chỉ số',
                'ordering': ['scheme', 'area__order', 'indicator__order'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'indicator'), name='unique_component_per_scheme'), models.CheckConstraint(condition=models.Q(('weight__gt', 0)), name='component_weight_positive')],
            },
        ),
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveBigIntegerField(default=1)),
                ('changed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'phiên bản dữ liệu',
                'verbose_name_plural': 'phiên bản dữ liệu',
            },
        ),
        migrations.CreateModel(
            name='ValueImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('file_format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'XLSX')], max_length=10, verbose_name='định dạng')),
                ('content', models.BinaryField(verbose_name='nội dung')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tải lên lúc')),
                ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='áp dụng lúc')),
                ('row_count', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tải lên')),
            ],
            options={
                'verbose_name': 'lần nhập tệp',
                'verbose_name_plural': 'lần nhập tệp',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='UnitAdminAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='admin_assignments', to='indicators.administrativeunit', verbose_name='đơn vị')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_assignments', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
            ],
            options={
                'verbose_name': 'phân công nhập liệu',
                'verbose_name_plural': 'phân công nhập liệu',
                'ordering': ['unit__code', 'user__username'],
                'constraints': [models.UniqueConstraint(fields=('user', 'unit'), name='unique_unit_admin_assignment')],
            },
        ),
        migrations.AddField(
            model_name='source',
            name='unit',
            field=models.ForeignKey(blank=True, help_text='Để trống với văn bản, bài báo dùng chung; chỉ người nhập liệu của đơn vị này được trích dẫn.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='own_sources', to='indicators.administrativeunit', verbose_name='đơn vị báo cáo'),
        ),
        migrations.AddField(
            model_name='valueimport',
            name='summary',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='kết quả kiểm tra'),
        ),
        migrations.RunPython(create_role_groups_and_data_version, delete_role_groups),
    ]
