from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from zonegov.core.services.audit_checkpoints import audit_checkpoint, checkpoint_file_path


class Command(BaseCommand):
    help = (
        "Sign a checkpoint of the audit chain's head with the platform signing key, store "
        "it, queue it for the external archive (outbox topic audit.checkpoint) and append "
        "it to ZONEGOV_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl. Run it from cron (hourly)."
    )

    def handle(self, *args, **options):
        try:
            checkpoint, exported = audit_checkpoint()
        except ImproperlyConfigured as exc:
            raise CommandError(f"无法生成审计检查点：{exc}") from exc
        except OSError as exc:
            raise CommandError(
                f"检查点已写入数据库和外发队列，但导出文件 {checkpoint_file_path()} 写入失败："
                f"{exc}。下次运行会补写。"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成第 {checkpoint.pk} 号审计检查点：封存至第 {checkpoint.head_record_id} "
                f"号记录（共 {checkpoint.count} 条），"
                f"已导出 {exported} 行到 {checkpoint_file_path()}。"
            )
        )
