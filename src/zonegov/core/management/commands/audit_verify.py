from django.core.management.base import BaseCommand, CommandError

from zonegov.core.services.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Check the whole audit chain (HMAC) and every signed checkpoint, in the database "
        "and in the exported file; name the first broken record and checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints-file",
            default="",
            help="exported checkpoints to check against (default: the configured "
            "ZONEGOV_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl), e.g. a copy from the archive",
        )

    def handle(self, *args, **options):
        result = audit_verify(checkpoints_file=options["checkpoints_file"] or None)
        if result.legacy_until is not None:
            self.stdout.write(
                f"第 {result.legacy_until} 号及以前的记录写于启用密钥之前（无密钥哈希）。"
            )
        if result.key_ids:
            self.stdout.write(f"记录所用的密钥编号：{'、'.join(result.key_ids)}")
        self.stdout.write(
            f"已校验检查点：数据库中 {result.checkpoints_checked} 个，"
            f"导出文件（{result.checkpoints_file}）中 {result.file_checkpoints_checked} 个。"
        )
        for note in result.notes:
            self.stderr.write(self.style.WARNING(note))
        problems = []
        if result.problem:
            where = f"第 {result.first_broken_id} 号记录" if result.first_broken_id else "链尾"
            problems.append(
                f"审计链被破坏：{where}——{result.problem}（此前 {result.checked} 条完好）"
            )
        if result.checkpoint_problem:
            problems.append(f"检查点不符：{result.checkpoint_problem}")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {result.checked} 条记录。"))
