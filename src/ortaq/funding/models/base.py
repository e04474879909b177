"""What the models of every funding stage share: the private file storage, the fields of a
privately stored file, the three-language title."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from ortaq.core.i18n import pick

USER = settings.AUTH_USER_MODEL


class PrivateStorage(FileSystemStorage):
    """Files of applications: under PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), with no URL;
    served only by a permission-checked view. The setting is read on each use."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str | None:  # type: ignore[override]
        return None


private_storage = PrivateStorage()


def get_private_storage() -> FileSystemStorage:
    return private_storage


class PrivateFile(models.Model):
    """What every privately stored file of funding keeps beside the file itself (application
    attachments, report evidence, visit photos); served only by permission-checked views."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class Trilingual(models.Model):
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self, "title")
