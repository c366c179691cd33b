"""Chinese and Urdu names readable in the HTML edition on any machine.

The theme (furo) uses the reader's system fonts. A system without CJK or Arabic-script
fonts (a fresh Linux install, some e-readers' browsers) showed the book's Chinese and
Urdu names as empty boxes. Before any page is written, this extension writes a
stylesheet declaring the book's fonts (:mod:`idcpc_book.fonts`, from PyPI) for their
scripts only (``unicode-range``) and adding them to the theme's font stack before the
generic ``sans-serif``. When the build finishes, it collects the characters of those
scripts that the written pages use and subsets each font to just them with fontTools,
as WOFF2 (about 150 KB for the few hundred Chinese characters the book quotes, instead
of 16 MB). A browser downloads a face only for a page that uses its script.

Subsetting the CJK font takes one to two seconds, so each subset is kept beside the
doctrees, named by a hash of its characters, and reused while they stay the same.
The subsets keep the fonts' own timestamps (two builds give identical bytes) and their
copyright and licence records: both fonts are under the SIL Open Font License 1.1,
which lets them be subset and redistributed with that notice in the font itself.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from idcpc_book.fonts import ScriptFont, script_fonts

#: Builders whose pages get the fonts.
HTML_BUILDERS = ("html", "dirhtml")
CSS_FILE = "script-fonts.css"
FONT_DIR = "fonts"  # below _static/
#: furo's --font-stack (furo/assets/styles/variables/_fonts.scss), the book's faces
#: added before the generic family.
_STACK_HEAD = "-apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial"
_STACK_TAIL = "sans-serif, Apple Color Emoji, Segoe UI Emoji"


def used_characters(outdir: Path, font: ScriptFont) -> str:
    """The characters of ``font``'s script in the HTML pages under ``outdir``, sorted."""
    found: set[str] = set()
    for page in outdir.rglob("*.html"):
        found.update(font.pattern.findall(page.read_text(encoding="utf-8")))
    return "".join(sorted(found))


def subset(font: ScriptFont, characters: str, target: Path) -> None:
    """Write the WOFF2 subset of ``font`` holding ``characters`` (and their shaping)."""
    from fontTools import subset as ft_subset  # a dependency of WeasyPrint

    # fontTools reports each table it prunes at INFO level; the build has no use for it.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # browsers hint themselves; smaller files
    # Keep every name record: the copyright (ID 0) and the SIL Open Font License notice
    # (IDs 13, 14) must travel with the font, which the default subset drops.
    options.name_IDs = ["*"]
    face = ft_subset.load_font(str(font.path), options, lazy=True)
    face.recalcTimestamp = False  # the font's own date: reproducible bytes
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(face)
    ft_subset.save_font(face, str(target), options)


def cached_subset(font: ScriptFont, characters: str, cache: Path) -> Path:
    """The subset for ``characters``, made once and kept in ``cache``."""
    digest = hashlib.sha256(f"{font.path.name}\n{characters}".encode()).hexdigest()[:16]
    path = cache / f"{font.slug}-{digest}.woff2"
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        subset(font, characters, partial)
        partial.replace(path)
    return path


def stylesheet(faces: list[ScriptFont]) -> str:
    """@font-face rules for ``faces`` and the theme's font stack with them."""
    rules = [
        f'@font-face {{ font-family: "{font.family}"; font-display: swap; '
        f'src: url("{FONT_DIR}/{font.slug}.woff2") format("woff2"); '
        f"unicode-range: {font.unicode_range}; }}"
        for font in faces
    ]
    families = ", ".join(f'"{font.family}"' for font in faces)
    stack = f"body {{ --font-stack: {_STACK_HEAD}, {families}, {_STACK_TAIL}; }}"
    return "\n".join([*rules, stack]) + "\n"


def write_fonts(app: Sphinx, exception: Exception | None) -> None:
    """Subset and write the fonts the pages need."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    outdir = Path(app.outdir)
    folder = outdir / "_static" / FONT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    cache = Path(app.doctreedir) / "webfonts"
    for font in script_fonts():
        characters = used_characters(outdir, font)  # none: a face with no glyph, never fetched
        shutil.copyfile(cached_subset(font, characters, cache), folder / f"{font.slug}.woff2")


def write_stylesheet(app: Sphinx) -> None:
    """Declare the faces before any page is written.

    Sphinx stamps each stylesheet link with a checksum of the file when the page is
    written (``?v=...``): written at the end of the build, the file would be linked
    without it on a clean build and with it on the next, incremental one.
    """
    if app.builder.name not in HTML_BUILDERS:
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS_FILE).write_text(stylesheet(script_fonts()), encoding="utf-8")
    app.add_css_file(CSS_FILE)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", write_stylesheet)
    app.connect("build-finished", write_fonts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
