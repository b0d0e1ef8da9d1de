"""Serving private files (evidence, reports): one place that checks the file is ours and stays in storage.

Files are stored under generated names; the storage refuses names that leave MEDIA_ROOT
(SuspiciousFileOperation), and anything missing or refused is a 404 — never an error page that tells
whether a file exists.
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousFileOperation
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def serve_private_file(field_file: FieldFile | None, *, filename: str, content_type: str | None = None,
                       attachment: bool = True) -> FileResponse:
    """A download response for a stored file; the caller has already checked the viewer's scope."""
    if not field_file or not field_file.name:
        raise Http404
    storage = field_file.storage
    try:
        if not storage.exists(field_file.name):
            raise Http404
        handle = storage.open(field_file.name, "rb")
    except (SuspiciousFileOperation, ValueError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=attachment, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
