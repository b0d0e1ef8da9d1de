"""Recompute every person's ID lookup hash after a key rotation (``JIANGXIN_FIELD_KEY``).

Each stored number is decrypted with the configured cipher (which accepts every listed key) and hashed again
under the current first key, all in one transaction with one audit record; with ``--reencrypt`` the
ciphertext is also rewritten under the first key so older keys can be retired afterwards.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction

from jiangxin.platform.audit.service import record
from jiangxin.platform.people.crypto import CipherError, get_cipher, id_hash
from jiangxin.platform.people.models import Person

BATCH = 500


class Command(BaseCommand):
    help = "重新计算全部人员的公民身份号码查找哈希（密钥轮换后执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reencrypt", action="store_true",
                            help="同时用当前第一个密钥重新加密号码（之后可停用旧密钥）")
        parser.add_argument("--dry-run", action="store_true", help="只统计需要更新的人数，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        cipher = get_cipher()
        reencrypt, dry_run = options["reencrypt"], options["dry_run"]
        total = changed = 0
        try:
            with transaction.atomic():
                pending: list[Person] = []
                for person in (Person.objects.select_for_update().only("pk", "id_cipher", "id_hash")
                               .order_by("pk").iterator(chunk_size=BATCH)):
                    total += 1
                    try:
                        number = cipher.decrypt(person.id_cipher)
                    except CipherError:
                        raise CommandError(
                            f"人员 #{person.pk} 的号码无法用当前密钥解密，已全部回滚（请检查 JIANGXIN_FIELD_KEY）。"
                        ) from None
                    digest = id_hash(number)
                    fields = []
                    if digest != person.id_hash:
                        person.id_hash = digest
                        fields.append("id_hash")
                    if reencrypt:
                        person.id_cipher = cipher.encrypt(number)
                        fields.append("id_cipher")
                    if fields:
                        changed += 1
                        pending.append(person)
                    if len(pending) >= BATCH and not dry_run:
                        self._flush(pending, reencrypt)
                        pending = []
                if not dry_run:
                    self._flush(pending, reencrypt)
                    record("people.person.rehash_ids", None, object_type="people.Person",
                           summary=f"密钥轮换后重算号码哈希：共 {total} 人，更新 {changed} 人"
                                   + ("（并重新加密）" if reencrypt else ""),
                           after={"total": total, "changed": changed, "reencrypted": bool(reencrypt)})
        except IntegrityError as exc:
            raise CommandError(f"更新哈希时发生唯一性冲突，已全部回滚：{exc}") from None
        verb = "需更新" if dry_run else "已更新"
        self.stdout.write(self.style.SUCCESS(f"共 {total} 人，{verb} {changed} 人。"))

    @staticmethod
    def _flush(pending: list[Person], reencrypt: bool) -> None:
        if pending:
            fields = ["id_hash", "id_cipher"] if reencrypt else ["id_hash"]
            Person.objects.bulk_update(pending, fields, batch_size=BATCH)
