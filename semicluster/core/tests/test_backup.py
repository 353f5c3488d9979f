import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command

from semicluster.core.backup import RestoreRefused, backup, restore, serialised_snapshot, table_counts
from semicluster.core.demo import DemoContext, generate_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restored_into_an_empty_database_equals_the_original(kunshan_plan, tmp_path):
    import io

    generate_demo(DemoContext(seed=3, scale="sample", plan_version=kunshan_plan, out=io.StringIO()))
    upload = settings.MEDIA_ROOT / "evidence" / "a.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.4 test")
    before = serialised_snapshot()
    counts = table_counts()
    archive = tmp_path / "backup.zip"
    backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    upload.unlink()
    assert sum(table_counts().values()) == 0
    restore(archive)
    assert table_counts() == counts
    assert serialised_snapshot() == before
    assert upload.read_bytes() == b"%PDF-1.4 test"


def test_restore_refuses_a_database_that_is_not_empty(kunshan_plan, tmp_path):
    archive = tmp_path / "b.zip"
    backup(archive)
    with pytest.raises(RestoreRefused, match="not empty"):
        restore(archive)


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "x.zip"
    with zipfile.ZipFile(bogus, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(RestoreRefused, match="missing"):
        restore(bogus)
    (tmp_path / "y.zip").write_text("not a zip")
    with pytest.raises(RestoreRefused, match="not a semicluster backup"):
        restore(tmp_path / "y.zip")
