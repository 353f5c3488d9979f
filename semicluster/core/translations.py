"""What the interface asks to have translated, and what the catalogues answer.

``source_messages()`` finds every translatable string the way ``makemessages`` would, without GNU
gettext: ``_()`` / ``gettext*`` / ``pgettext*`` / ``ngettext*`` calls with literal arguments in the
Python sources (an AST walk, so calls inside f-strings count too) and ``{% translate %}`` /
``{% blocktranslate %}`` in templates (Django's own ``templatize``, which also writes the msgids the
template tags look up at runtime, ``%`` doubled). ``read_catalogue()`` reads an app's ``.po`` file.
The translation tests (``core/tests/test_translations.py``) compare the two.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import templatize

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Function name → argument positions of (context, msgid, plural), as makemessages passes them to xgettext.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_SKIPPED_DIRS = {"tests", "migrations", "__pycache__", "node_modules"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Message:
    """One use of a translatable string: ``where`` is "path:line" (relative to the repository)."""

    context: str | None
    msgid: str
    plural: str | None
    where: str

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


@dataclass(frozen=True)
class Entry:
    """One entry of a ``.po`` catalogue (obsolete ``#~`` entries are left out)."""

    context: str | None
    msgid: str
    plural: str | None
    msgstr: tuple[str, ...]
    fuzzy: bool
    line: int

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def translation(self) -> str:
        """What gettext answers: the first form (Chinese has one plural form); "" if untranslated.

        msgfmt leaves fuzzy entries out of the compiled catalogue, so they count as untranslated."""
        return "" if self.fuzzy or not self.msgstr else self.msgstr[0]


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def _where(path: Path, line: int) -> str:
    shown = path.relative_to(PACKAGE_DIR.parent) if path.is_relative_to(PACKAGE_DIR.parent) else path
    return f"{shown}:{line}"


def _literal(args: list[ast.expr], position: int | None) -> str | None:
    if position is None or position >= len(args):
        return None
    arg = args[position]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def _calls(tree: ast.AST, path: Path, line_offset: int = 0) -> Iterator[Message]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in KEYWORDS:
            continue
        context_at, msgid_at, plural_at = KEYWORDS[name]
        msgid = _literal(node.args, msgid_at)
        if msgid is None:  # gettext(variable): nothing to extract
            continue
        yield Message(
            _literal(node.args, context_at),
            msgid,
            _literal(node.args, plural_at),
            _where(path, node.lineno + line_offset),
        )


def python_messages(path: Path) -> Iterator[Message]:
    yield from _calls(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), path)


_TEMPLATE_CALL = re.compile(r"\b(?:n?p?gettext)\(")


def template_messages(path: Path) -> Iterator[Message]:
    """Django's ``templatize`` blanks a template out to ``gettext('…')`` calls, one call per line."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for number, line in enumerate(code.splitlines(), 1):
        for match in _TEMPLATE_CALL.finditer(line):
            for end in range(match.end(), len(line)):
                if line[end] != ")":
                    continue
                try:
                    call = ast.parse(line[match.start() : end + 1], mode="eval")
                except SyntaxError:
                    continue
                yield from _calls(call, path, line_offset=number - 1)
                break
            else:
                raise ValueError(f"{_where(path, number)}: cannot read the translation call in {line!r}")


def source_files(root: Path = PACKAGE_DIR) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if _SKIPPED_DIRS.intersection(relative) or not path.is_file():
            continue
        if path.suffix == ".py" or (path.suffix in {".html", ".txt"} and "templates" in relative):
            yield path


def source_messages(root: Path = PACKAGE_DIR) -> list[Message]:
    """Every translatable string of the package, in file order."""
    messages: list[Message] = []
    for path in source_files(root):
        reader = python_messages if path.suffix == ".py" else template_messages
        messages.extend(reader(path))
    return messages


def catalogue_paths(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """App name → its zh_Hans catalogue."""
    return {path.parents[3].name: path for path in sorted(root.glob(f"*/{CATALOGUE}"))}


_KEYWORD_LINE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


def read_catalogue(path: Path) -> list[Entry]:
    """The entries of a ``.po`` file (the header, msgid "", is left out). Raises ValueError on a line
    it cannot read, naming the file and line."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    forms: list[str] = []
    fuzzy = False
    start = 0
    last: str | None = None

    def flush() -> None:
        nonlocal fields, forms, fuzzy, last
        if fields.get("msgid"):
            entries.append(
                Entry(
                    context=fields.get("msgctxt"),
                    msgid=fields["msgid"],
                    plural=fields.get("msgid_plural"),
                    msgstr=tuple(forms),
                    fuzzy=fuzzy,
                    line=start,
                )
            )
        fields, forms, fuzzy, last = {}, [], False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if forms:  # a comment after a complete entry starts the next one
                flush()
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                fuzzy = True
            continue
        try:
            if line.startswith('"'):
                if last is None:
                    raise ValueError("a continued string without a keyword")
                text = ast.literal_eval(line)
                if last.startswith("msgstr"):
                    forms[-1] += text
                else:
                    fields[last] += text
                continue
            match = _KEYWORD_LINE.match(line)
            if not match:
                raise ValueError("not a catalogue line")
            keyword, value = match.group(1), ast.literal_eval(match.group(2))
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"{_where(path, number)}: {exc}: {raw!r}") from exc
        if keyword in ("msgctxt", "msgid") and forms:
            flush()
        if not fields and not forms:
            start = number
        if keyword.startswith("msgstr"):
            forms.append(value)
        else:
            fields[keyword] = value
        last = keyword
    flush()
    return entries
