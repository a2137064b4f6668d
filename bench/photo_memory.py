"""Memory of cleaning one visit's photos, as the visit form does, in a fresh process.

    .venv/bin/python bench/photo_memory.py bomb    # 8 PNGs of 7000x7000 (about 1.1 MB in all)
    .venv/bin/python bench/photo_memory.py phone   # 8 JPEGs of 4000x3000, a phone's photos
    .venv/bin/python bench/photo_memory.py edge    # 2 PNGs of 4898x4898: the most accepted

Prints JSON: the process's peak RSS (VmHWM, else ru_maxrss) before and after, in MB, the seconds taken, how
many photos were accepted and the messages of a refusal. Needs DATABASE_URL only for the
settings (no query is made). tests/security/test_image_limits.py runs it.
"""

import io
import json
import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lebork_einclusion.settings")


def big_png(width: int, height: int) -> bytes:
    """A black RGB PNG made row by row: megapixels in a few kilobytes, little memory to make."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 3 * width)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def phone_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    from PIL import Image

    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def _maxrss_mb() -> float:
    """The process's peak RSS. Linux keeps ru_maxrss across fork and exec (a child started by
    a big parent starts at the parent's peak), so the peak of this program's own memory,
    VmHWM, is read where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(kind: str) -> dict:
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring import photos

    # The photo is made in a process of its own: making it must not count in this one's peak.
    content = subprocess.run(
        [sys.executable, __file__, "--make", kind], capture_output=True, check=True
    ).stdout
    name = "foto-{}.jpg" if kind == "phone" else "foto-{}.png"
    count = 2 if kind == "edge" else 8
    uploads = [SimpleUploadedFile(name.format(i), content) for i in range(count)]
    # The visit form's way of cleaning its photos, in this version or an older one.
    clean = getattr(photos, "clean_photos", None) or (
        lambda items: [photos.clean_photo(item) for item in items]
    )
    before = _maxrss_mb()
    started = time.perf_counter()
    accepted, refused = 0, []
    try:
        accepted = len(clean(uploads))
    except ValidationError as error:
        refused = error.messages
    return {
        "kind": kind,
        "request_mb": round(len(content) * count / 1_048_576, 2),
        "maxrss_before_mb": round(before),
        "maxrss_after_mb": round(_maxrss_mb()),
        "seconds": round(time.perf_counter() - started, 2),
        "accepted": accepted,
        "refused": refused,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make"]:
        made = {
            "bomb": lambda: big_png(7000, 7000),
            "edge": lambda: big_png(4898, 4898),
            "phone": phone_jpeg,
        }[sys.argv[2]]()
        sys.stdout.buffer.write(made)
    else:
        print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "bomb")))
