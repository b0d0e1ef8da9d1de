"""The entries' ``program`` index without its ``*_like`` pattern copy (no query matches the program by pattern)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('designations', '0003_list_order_indexes'),
        ('ledger', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='ledgerentry',
            name='program',
            field=models.CharField(max_length=40, verbose_name='项目'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['program'], name='ledger_entry_program'),
        ),
    ]
