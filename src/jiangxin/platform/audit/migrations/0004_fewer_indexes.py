"""Fewer audit indexes: each append wrote eleven; kept are the ones a query uses (``action`` and ``object_id``
matched exactly, ``at``, the unique ``hash``), without the ``*_like`` pattern copies PostgreSQL adds for
``db_index``/``unique`` text fields (no query on them uses LIKE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_merge_0002_append_only_trigger_0002_request_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=80, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='object_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='对象编号'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='object_type',
            field=models.CharField(blank=True, max_length=80, verbose_name='对象类型'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action'], name='audit_event_action'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['object_id'], name='audit_event_object_id'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('hash',), name='audit_event_hash_unique'),
        ),
    ]
