"""The year markers' designation index dropped: the unique (designation, year, kind) constraint starts with it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('designations', '0004_fewer_indexes'),
        ('ledger', '0002_entry_program_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='yearapplied',
            name='designation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_years', to='designations.designation'),
        ),
    ]
