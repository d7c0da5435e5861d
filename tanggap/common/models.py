from django.db import models

from tanggap.common.clock import now


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=now, db_index=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyModel(models.Model):
    """Rows are written once: updates and deletes raise. History stays history."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class PeriodicJob(models.Model):
    """A job that runs every ``interval_seconds``. The row, not a timer in memory, says when:
    workers claim a due run with a conditional UPDATE, so several workers run it once."""

    name = models.CharField(max_length=100, unique=True)
    interval_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField(default=now)
    last_run_at = models.DateTimeField(null=True, blank=True)
