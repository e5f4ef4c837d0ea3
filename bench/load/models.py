from django.db import models


class BareRow(models.Model):
    """One row per request of the bare view: the yardstick the QR submission is held to."""

    tag = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.tag} {self.pk}"
