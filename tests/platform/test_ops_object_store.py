"""Uploaded files on an S3-compatible object store (MinIO in production), tested against moto's server mode:
an evidence upload lands in the bucket, downloads through the scoped page, and /healthz checks the store."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import fixtures_apps
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures_apps import World, pdf_bytes

from jiangxin.platform.applications.models import Evidence

pytestmark = pytest.mark.django_db
world = fixtures_apps.world
media = fixtures_apps.media
BUCKET = "jiangxin-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                 region_name="us-east-1").create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def object_store(settings: Any, s3_endpoint: str) -> Any:
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "access_key": "test", "secret_key": "test",
        "region_name": "us-east-1", "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "addressing_style": "path"}}}
    return boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                        region_name="us-east-1")


def test_evidence_is_stored_in_the_bucket_and_served_through_the_scoped_page(
        world: World, object_store: Any, media: Any) -> None:
    app = world.studio_application()
    content = pdf_bytes()
    response = world.client("unit_a").post(f"/applications/{app.pk}/evidence/", {
        "condition": "c1", "file": SimpleUploadedFile("荣誉证书.pdf", content), "description": "证书"}, follow=True)
    assert "材料已上传" in response.content.decode()
    evidence = Evidence.objects.get(application=app)
    stored = object_store.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == content
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True  # nothing on the local disk
    download = world.client("unit_a").get(f"/applications/{app.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content


def test_healthz_checks_the_object_store(client: Any, object_store: Any, settings: Any) -> None:
    assert client.get("/healthz").json()["checks"]["storage"]["ok"] is True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {
        **settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"}}}
    body = client.get("/healthz")
    assert body.status_code == 503 and body.json()["checks"]["storage"]["ok"] is False
