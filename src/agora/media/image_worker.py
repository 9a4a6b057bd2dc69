"""The worker process of media.decoding: `python -P -m agora.media.image_worker CPU_SECONDS MEMORY_BYTES`.

It limits itself (RLIMIT_CPU: SIGXCPU at CPU_SECONDS, SIGKILL one second later; RLIMIT_AS: allocations past
MEMORY_BYTES fail; no core files) and lowers its priority (nice 10: on a busy machine the server's own processes
get the CPU first, so requests keep being answered while images decode). Then it reads one image from stdin, runs
media.images.process and answers on stdout: one JSON line, `{"error": code, "message": …}` or the processed
image's fields with the sizes of the two blobs that follow it (the image, then its thumbnail). It imports only
what decoding needs: it starts once per image.
"""

from __future__ import annotations

import json
import os
import resource
import sys

from PIL import Image

from agora.errors import AgoraError, Code
from agora.media import image_limits, images


def main(argv: list[str]) -> int:
    """Limit this process, read an image from stdin, answer on stdout."""
    cpu_seconds, memory_bytes = int(argv[0]), int(argv[1])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed worker leaves no core file behind
    os.nice(10)
    Image.MAX_IMAGE_PIXELS = image_limits.MAX_PIXELS  # Pillow's own guard, one frame at a time, at the same cap
    raw = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    try:
        processed = images.process(raw)
    except AgoraError as error:
        refusal: dict[str, str | None] | None = {"error": error.code.value, "message": error.message}
    except MemoryError:
        refusal = {"error": Code.too_large.value, "message": "the image needs more memory than Agora allows"}
    except Exception:  # a decoder's surprise about a malformed file is still a malformed file
        refusal = {"error": Code.not_an_image_type.value, "message": "the file is not an image Agora can read"}
    else:
        refusal = None
    if refusal is not None:
        out.write(json.dumps(refusal).encode() + b"\n")
        return 0
    header = {
        "extension": processed.extension,
        "content_type": processed.content_type,
        "width": processed.width,
        "height": processed.height,
        "data": len(processed.data),
        "thumbnail": len(processed.thumbnail),
    }
    out.write(json.dumps(header).encode() + b"\n")
    out.write(processed.data)
    out.write(processed.thumbnail)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
