from django.db import models


class NumberSeries(models.Model):
    """The last number handed out in one series (e.g. "assignment:2026")."""

    key = models.CharField(max_length=100, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"
