"""Captcha pictures: the answer drawn with jitter and noise, as a base64 PNG (Lemmy's `png` field)."""

from __future__ import annotations

import base64
import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont


def render_png(answer: str) -> str:
    rng = random.SystemRandom()
    width, height = 40 + 32 * len(answer), 80
    image = Image.new("RGB", (width, height), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    for _ in range(8):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)), (rng.randint(0, width), rng.randint(0, height))],
            fill=(rng.randint(120, 200),) * 3,
            width=2,
        )
    for i, ch in enumerate(answer):
        glyph = Image.new("RGBA", (48, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 4), ch, font=font, fill=(rng.randint(0, 90), rng.randint(0, 90), rng.randint(0, 90))
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (20 + 32 * i + rng.randint(-3, 3), 8 + rng.randint(-6, 6)), glyph)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()
