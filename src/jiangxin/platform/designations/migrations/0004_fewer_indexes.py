"""Designation indexes without the redundant ones: ``program`` alone (the list-order and program-status indexes
start with it) and the ``*_like`` pattern copies of ``program`` and ``status`` (never matched by pattern); every
status change wrote all fifteen."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('designations', '0003_list_order_indexes'),
        ('orgs', '0005_jurisdictions_from_programs'),
        ('people', '0006_ban_programs_from_registry'),
        ('review', '0002_case_state_excluded'),
    ]

    operations = [
        migrations.AlterField(
            model_name='designation',
            name='program',
            field=models.CharField(max_length=50, verbose_name='项目'),
        ),
        migrations.AlterField(
            model_name='designation',
            name='status',
            field=models.CharField(choices=[('active', '有效'), ('yellow_card', '黄牌警告'), ('revoked', '已撤销'), ('cycle_complete', '周期届满'), ('expired', '期满'), ('exited', '已退出')], default='active', max_length=20, verbose_name='状态'),
        ),
        migrations.AddIndex(
            model_name='designation',
            index=models.Index(fields=['status'], name='designation_status'),
        ),
    ]
