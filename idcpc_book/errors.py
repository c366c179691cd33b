"""The one error type for unusable input, located at a file and line."""

from __future__ import annotations

from pathlib import Path


def own_path(path: Path) -> Path:
    """``path`` made absolute where it is, not where it points: a symbolic link (even
    one in a loop, which :meth:`Path.resolve` cannot follow) is named at its own place."""
    return path.parent.resolve() / path.name


class InputError(Exception):
    """Input the tools cannot use at all (as opposed to a rule the book breaks).

    Carries the file and line so that every caller can print ``path:line: message``
    instead of a traceback.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(self.located())

    def __reduce__(self) -> tuple[type, tuple[Path, int | None, str]]:
        return (type(self), (self.path, self.line, self.message))  # picklable as it is built

    def located(self, root: Path | None = None) -> str:
        """``path:line: message``, the path relative to ``root`` where possible."""
        path = self.path
        if root is not None and own_path(path).is_relative_to(root.resolve()):
            path = own_path(path).relative_to(root.resolve())
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{where}: {self.message}"


class InputErrors(Exception):
    """Several :class:`InputError`, found in one pass over the input (all reported at once)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(err.located() for err in errors))
