"""What a chapter may contain: the allowlists of :mod:`idcpc_book.inputs.markup`, checked.

A chapter is a contributor's text, built by CI and the pre-commit hook: a directive, role,
substitution, link or image in it must not run code, read a file outside the repository or
reach the network. Every block of a chapter, and the Markdown body of every allowed
directive around it (a claim, an editorial block, ``only``), is read with MyST's own
parser (inline rules on, unlike the census's block reading), and each use outside the
allowlists is a fault at its line, naming what is refused:

* a directive or role not in ``DIRECTIVES``/``ROLES`` (``include``, ``raw``, ``eval-rst``,
  ``image``, ``download``...), a needtable ``:filter:`` not in ``NEEDTABLE_FILTERS``,
  an option of ``REFUSED_OPTIONS``;
* a ``{{ }}`` substitution other than the edition's names, and any ``{%``;
* front matter keys other than ``FRONT_MATTER_KEYS`` (MyST reads ``myst:`` as settings);
* a ``source`` need written in a chapter whose ``:url:`` is not http or https;
* a link whose scheme is not http or https, or whose relative target leaves the
  repository (MyST copies a linked local file into the build); an image that is not a
  file of the repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from idcpc_book.errors import InputError
from idcpc_book.inputs import census
from idcpc_book.inputs.census import (
    EDITORIAL_FRONT_MATTER,
    FENCES,
    DocCensus,
    Fault,
    parse_full,
)
from idcpc_book.inputs.markup import (
    DIRECTIVES,
    FRONT_MATTER_KEYS,
    MARKDOWN_BODIES,
    NEEDTABLE_FILTERS,
    REFUSED_OPTIONS,
    ROLES,
    SUBSTITUTIONS,
    URL_SCHEMES,
    is_web_url,
    url_scheme,
)

_ALLOWED = "(README: What a chapter may contain)"


def faults(doc: DocCensus, root: Path) -> list[Fault]:
    """Every use in ``doc`` (read from ``root``) that the allowlists do not allow."""
    return checked(doc, root)[0]


def checked(doc: DocCensus, root: Path) -> tuple[list[Fault], dict[str, bool]]:
    """:func:`faults`, and what they depend on besides the chapter's text: each relative
    link or image target looked up, and whether it stayed in the repository (a folder or
    file it names may become a link elsewhere; see :func:`inside`)."""
    page = root / doc.path
    tokens = parse_full(doc.text)
    found: list[Fault] = []
    if tokens and tokens[0].type == "front_matter":
        found += _front_matter(doc.path, tokens[0].content)
    where = _Where(doc.path, page.parent, root.resolve())
    found += _walk(tokens, 0, where)
    return found, where.looked


def inside(root: Path, path: str, target: str) -> bool:
    """Whether the relative link ``target`` of the chapter ``path`` stays in ``root``."""
    return _Where(path, (root / path).parent, root.resolve()).inside(target)


@dataclass(frozen=True)
class _Where:
    """The chapter being read: its path as shown, its folder, the repository, and the
    relative targets looked up (see :func:`checked`)."""

    path: str
    folder: Path
    root: Path
    looked: dict[str, bool] = field(default_factory=dict, compare=False)

    def inside(self, target: str) -> bool:
        """Whether a relative link target stays in the repository."""
        local = unquote(target.split("#", 1)[0].split("?", 1)[0])
        found = not local or (self.folder / local).resolve().is_relative_to(self.root)
        self.looked[target] = found
        return found


def _front_matter(path: str, text: str) -> list[Fault]:
    if text.strip("\n") == EDITORIAL_FRONT_MATTER:
        return []
    import yaml

    try:
        meta = yaml.safe_load(text) or {}
    except (yaml.YAMLError, ValueError):
        return []  # the census reports it
    keys = sorted(map(str, meta)) if isinstance(meta, dict) else ["(not a mapping)"]
    allowed = ", ".join(sorted(FRONT_MATTER_KEYS))
    return [
        Fault(path, 1, "front matter", f"key '{key}' not allowed (MyST reads front matter as "
              f"settings); a chapter's front matter may have only: {allowed}")
        for key in keys if key not in FRONT_MATTER_KEYS
    ]  # fmt: skip


def _walk(tokens: tuple[Token, ...], offset: int, where: _Where) -> list[Fault]:
    """The faults of ``tokens``, whose text starts at line ``offset + 1`` of the page."""
    found: list[Fault] = []
    for token in tokens:
        line = offset + (token.map[0] + 1 if token.map else 0)
        if token.type in FENCES and token.info.startswith("{"):
            found += _directive(token, line, where)
        elif token.type == "substitution_block":
            found += _substitution(token.content, where.path, line)
        elif token.type == "inline":
            found += _inline(token.children or [], line, where)
    return found


def _directive(token: Token, line: int, where: _Where) -> list[Fault]:
    name, _, first_line = token.info[1:].partition("}")
    name = name.strip().lower()  # docutils looks directives up in lower case
    obj = f"{{{name}}}"
    if name not in DIRECTIVES:
        return [Fault(where.path, line, obj, f"directive not allowed in a chapter {_ALLOWED}")]
    found = []
    options = _options(token.content)
    for option in sorted(REFUSED_OPTIONS.get(name, frozenset()) & options.keys()):
        found.append(Fault(where.path, line, obj, f":{option}: not allowed (it runs code)"))
    if name == "needtable" and "filter" in options and options["filter"] not in NEEDTABLE_FILTERS:
        allowed = ", ".join(sorted(NEEDTABLE_FILTERS))
        found.append(Fault(where.path, line, obj, (
            f":filter: {options['filter']!r} not allowed (sphinx-needs runs a filter as Python); "
            f"allowed filters: {allowed}"
        )))  # fmt: skip
    if name == "source" and "url" in options and not is_web_url(options["url"]):
        found.append(Fault(where.path, line, obj, (
            f":url: must be an http:// or https:// address; got {options['url']!r}"
        )))  # fmt: skip
    if name not in MARKDOWN_BODIES:
        return found
    if name in ("claim", "source"):
        result = census.parse_claim(first_line.strip(), token.content)
        body_line = line + 1 + result.body_offset
        found += _walk(parse_full("\n".join(result.body)), body_line - 1, where)
    else:
        found += _walk(parse_full(token.content), line, where)
    return found


def _options(content: str) -> dict[str, str]:
    """A directive's ``:name: value`` options as MyST reads the plain form (a ``---``
    block's keys are read as YAML)."""
    lines = content.splitlines()
    if lines and lines[0].strip() == "---":
        import yaml

        end = next((i for i, text in enumerate(lines[1:], 1) if text.strip() == "---"), 0)
        try:
            meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        except (yaml.YAMLError, ValueError):
            meta = {}
        return {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {}
    options = {}
    for text in lines:
        stripped = text.strip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        key, _, value = stripped[1:].partition(":")
        options[key.strip()] = value.strip()
    return options


def _inline(children: list[Token], line: int, where: _Where) -> Iterator[Fault]:
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "myst_role":
            name = str(child.meta.get("name", "")).strip().lower()
            if name not in ROLES:
                yield Fault(where.path, line, f"{{{name}}}",
                            f"role not allowed in a chapter {_ALLOWED}")  # fmt: skip
        elif child.type == "substitution_inline":
            yield from _substitution(child.content, where.path, line)
        elif child.type == "text":
            yield from _text(child.content, line, where.path)
        elif child.type == "link_open":
            yield from _link(str(child.attrs.get("href", "")), line, where)
        elif child.type == "image":
            yield from _image(str(child.attrs.get("src", "")), line, where)


#: A link markdown-it leaves as text because of its scheme (``[x](javascript:...)``).
_TEXT_LINK = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*):")


def _text(text: str, line: int, path: str) -> Iterator[Fault]:
    if "{%" in text:
        names = ", ".join("{{ " + name + " }}" for name in sorted(SUBSTITUTIONS))
        yield Fault(path, line, "{%", f"template tag not allowed in a chapter: {names} only")
    for match in _TEXT_LINK.finditer(text):
        scheme = match[1].lower()
        if scheme not in URL_SCHEMES:
            yield Fault(path, line, "link", (
                f"scheme '{scheme}' not allowed: a link is http, https or relative"
            ))  # fmt: skip


def _substitution(content: str, path: str, line: int) -> list[Fault]:
    if content.strip() in SUBSTITUTIONS:
        return []
    names = ", ".join("{{ " + name + " }}" for name in sorted(SUBSTITUTIONS))
    return [Fault(path, line, f"{{{{ {content.strip()} }}}}",
                  f"substitution not allowed: a chapter may use only {names}")]  # fmt: skip


def _link(url: str, line: int, where: _Where) -> Iterator[Fault]:
    scheme = url_scheme(url)
    if scheme is not None and scheme not in URL_SCHEMES:
        yield Fault(where.path, line, url, (
            f"link scheme '{scheme}' not allowed: a link is http, https or relative"
        ))  # fmt: skip
    elif scheme is None and not where.inside(url):
        yield Fault(where.path, line, url, "link to a file outside the repository")


def _image(url: str, line: int, where: _Where) -> Iterator[Fault]:
    if url_scheme(url) is not None or not url or not where.inside(url):
        yield Fault(where.path, line, url, (
            "image from outside the repository: an image must be a file of the repository"
        ))  # fmt: skip


def errors(root: Path, doc: DocCensus) -> list[InputError]:
    """:func:`faults` as input errors (``path:line: obj: message``)."""
    return [InputError(root / f.path, f.line, f"{f.obj}: {f.message}") for f in faults(doc, root)]
