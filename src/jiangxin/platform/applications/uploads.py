"""Evidence upload checks live in :mod:`jiangxin.platform.core.uploads` (every app checks files the same way);
the names stay importable from here for the applications app's callers."""

from jiangxin.platform.core.uploads import (  # noqa: F401
    CONTENT_TYPES,
    EXTENSIONS,
    LABELS,
    UploadError,
    check_upload,
    deep,
    sniff,
    zip_names,
)
