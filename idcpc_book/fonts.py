"""Fonts for the scripts the theme's fonts lack: Chinese (CJK) and Urdu (Arabic script).

Both come from PyPI packages in the book's dependencies (Noto Sans CJK and Noto Sans
Arabic, SIL Open Font License), so no build fetches a font. The PDF embeds them whole
(:mod:`idcpc_book.ext.formats.pdf`); the HTML edition ships a subset holding only the
characters its pages use (:mod:`idcpc_book.ext.formats.webfonts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The family name under which the CJK font is declared. A name of its own: declared
#: under the theme's family names (say "Fira Sans", with a unicode-range), WeasyPrint 70
#: writes both faces into one PDF font and the Chinese glyphs print blank.
CJK_FAMILY = "IDCPC Book CJK"
#: Urdu names are written in Arabic script; declared the same way as the CJK face.
ARABIC_FAMILY = "IDCPC Book Arabic"

_CJK_SPANS = (  # Han, kana, Hangul and CJK punctuation
    (0x2E80, 0x2FFF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF), (0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF),
)  # fmt: skip
_ARABIC_SPANS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                 (0xFE70, 0xFEFF))  # fmt: skip


@dataclass(frozen=True)
class ScriptFont:
    """A font for one script: its CSS family, file and Unicode spans."""

    family: str
    path: Path
    spans: tuple[tuple[int, int], ...]

    @property
    def unicode_range(self) -> str:
        """The spans as a CSS ``unicode-range``."""
        return ", ".join(f"U+{start:04X}-{end:04X}" for start, end in self.spans)

    @property
    def pattern(self) -> re.Pattern[str]:
        """A pattern matching one character of the script."""
        return re.compile(
            "[" + "".join(f"\\u{start:04x}-\\u{end:04x}" for start, end in self.spans) + "]"
        )

    @property
    def slug(self) -> str:
        return self.family.lower().replace(" ", "-")


def script_fonts() -> list[ScriptFont]:
    """The font of each script the theme's fonts lack."""
    import cvttf_NotoSansCJK_Regular as noto  # PyPI: cvttf-notosanscjk-regular
    import fontpkg_noto_sans_arabic as arabic  # PyPI: fontpkg-noto-sans-arabic

    return [
        ScriptFont(CJK_FAMILY, next(Path(noto.__file__).parent.glob("NotoSansCJK*.otf")),
                   _CJK_SPANS),
        ScriptFont(ARABIC_FAMILY, next((arabic.ROOT / "files").glob("NotoSansArabic*.ttf")),
                   _ARABIC_SPANS),
    ]  # fmt: skip
