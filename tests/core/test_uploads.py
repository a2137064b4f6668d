import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lebork_einclusion.uploads import PrivatePath, sniff, validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.7\n" + b"x" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


@pytest.mark.parametrize(("content", "kind"), [(PNG, "png"), (PDF, "pdf"), (JPEG, "jpeg")])
def test_it_recognises_files_by_content(content, kind):
    assert validate_upload(SimpleUploadedFile("skan.bin", content)) == kind


def test_a_renamed_executable_is_refused_whatever_its_name():
    upload = SimpleUploadedFile("skan.pdf", b"MZ\x90\x00" + b"\0" * 40)
    with translation.override("pl"), pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    assert caught.value.code == "wrong_type"
    assert "PDF, JPEG, PNG" in caught.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.SCAN_MAX_BYTES = 1024
    upload = SimpleUploadedFile("skan.pdf", PDF + b"x" * 2048)
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    assert caught.value.code == "too_large"


def test_sniffing_leaves_the_file_position_alone():
    upload = SimpleUploadedFile("skan.png", PNG)
    upload.seek(3)
    assert sniff(upload) == "png"
    assert upload.tell() == 3


def test_stored_names_are_random_and_keep_only_the_extension():
    path = PrivatePath("scans")(None, "Kowalski Jan 44051401359.PDF")
    assert path.startswith("scans/")
    assert path.endswith(".pdf")
    assert "Kowalski" not in path
    assert "44051401359" not in path
