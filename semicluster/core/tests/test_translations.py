"""The Chinese interface is Chinese and the English one English.

Msgids are English and every app's Chinese is in its own ``locale/zh_Hans/LC_MESSAGES/django.po``
(docs/DEVELOPING.md). Django merges the catalogues of all apps into one, the first installed app's
translation of a msgid winning, so a word two apps translate differently needs a context
(``pgettext_lazy("…", "Total")``, ``{% translate "Total" context "…" %}``).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.conf import settings

from semicluster.core.translations import (
    Entry,
    Message,
    catalogue_paths,
    is_chinese,
    read_catalogue,
    source_messages,
)

# Placeholders of python-format strings: %(name)s, %s, %d, and the escaped %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A Chinese term may stand beside the English in brackets or quotes: "Escalations (督办)".
ASIDE = re.compile(r"\([^()]*\)|（[^（）]*）|“[^”]*”|\"[^\"]*\"")
LANGUAGE_NAMES = {str(name) for _, name in settings.LANGUAGES}


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return source_messages()


@pytest.fixture(scope="module")
def catalogues() -> dict[str, list[Entry]]:
    return {app: read_catalogue(path) for app, path in catalogue_paths().items()}


def needs_translation(msgid: str) -> bool:
    """Everything but a string that already is Chinese (Chinese characters and no Latin words)."""
    text = PLACEHOLDER.sub("", msgid)
    return not is_chinese(text) or bool(LATIN_WORD.search(text))


def _place(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return (path, int(line))


def listing(found: dict[tuple[str | None, str], list[str]]) -> str:
    lines = []
    for (context, msgid), where in sorted(found.items(), key=lambda item: _place(item[1][0])):
        shown = f"{msgid!r}" if context is None else f"{msgid!r} (context {context!r})"
        lines.append(f"  {where[0]}: {shown}" + (f" (+{len(where) - 1} more)" if len(where) > 1 else ""))
    return "\n".join(lines)


def test_every_string_of_the_interface_has_a_chinese_translation(messages, catalogues) -> None:
    translated = {entry.key for entries in catalogues.values() for entry in entries if entry.translation}
    missing: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for message in messages:
        if needs_translation(message.msgid) and message.key not in translated:
            missing[message.key].append(message.where)
    assert not missing, (
        f"{len(missing)} strings have no zh_Hans translation (add them to the app's "
        f"locale/zh_Hans/LC_MESSAGES/django.po, then compile with msgfmt):\n{listing(missing)}"
    )


def test_msgids_are_english_with_chinese_terms_only_beside_them(messages) -> None:
    """A label written "营业收入 revenue" shows both languages in both interfaces, and "%(m)s月" shows
    Chinese in the English one: write "revenue" and translate it. A Chinese term in brackets or quotes
    beside the English is fine ("Escalations (督办)")."""
    chinese = defaultdict(list)
    for message in messages:
        if message.msgid not in LANGUAGE_NAMES and is_chinese(ASIDE.sub("", message.msgid)):
            chinese[message.key].append(message.where)
    assert not chinese, f"{len(chinese)} msgids are not English:\n{listing(chinese)}"


def test_no_two_apps_translate_the_same_message_differently(catalogues) -> None:
    by_key: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for app, entries in catalogues.items():
        for entry in entries:
            if entry.translation:
                by_key[entry.key][app] = entry.translation
    clashes = {key: apps for key, apps in by_key.items() if len(set(apps.values())) > 1}
    assert not clashes, (
        f"{len(clashes)} messages are translated differently by different apps; only the first "
        "installed app's translation is ever shown. Give the uses a context (pgettext_lazy, "
        '{% translate "…" context "…" %}) or use one word:\n'
        + "\n".join(
            f"  {msgid!r}" + ("" if context is None else f" (context {context!r})") + f": {apps}"
            for (context, msgid), apps in sorted(clashes.items(), key=str)
        )
    )


def test_every_catalogue_entry_is_asked_for(messages, catalogues) -> None:
    """An entry no code asks for is usually a msgid edited in the code but not in the catalogue: the
    interface then shows the new English text to Chinese readers. Translate a string chosen at run
    time by marking its candidates with gettext_noop."""
    used = {message.key for message in messages}
    stale = [
        f"  {app}:{entry.line}: {entry.msgid!r}"
        + ("" if entry.context is None else f" (context {entry.context!r})")
        for app, entries in catalogues.items()
        for entry in entries
        if entry.key not in used
    ]
    assert not stale, "\n".join(["Catalogue entries no code uses (edit or remove them):", *stale])


def test_no_catalogue_has_an_entry_twice(catalogues) -> None:
    """msgfmt refuses a catalogue with a duplicate entry, and then the whole app shows English."""
    duplicates = []
    for app, entries in catalogues.items():
        seen: dict[tuple[str | None, str], int] = {}
        for entry in entries:
            if entry.key in seen:
                duplicates.append(f"  {app}: {entry.msgid!r} at lines {seen[entry.key]} and {entry.line}")
            seen.setdefault(entry.key, entry.line)
    assert not duplicates, "\n".join(["Duplicate catalogue entries:", *duplicates])


def test_translations_keep_the_placeholders_of_their_msgid(catalogues) -> None:
    """A translation that drops or renames %(n)s, or has a bare %, fails to format: blocktranslate
    then falls back to the English text and Python code raises."""
    broken = []
    for app, entries in catalogues.items():
        for entry in entries:
            source = entry.msgid + (entry.plural or "")
            if not entry.translation or not PLACEHOLDER.search(source):
                continue
            wanted = {p for p in PLACEHOLDER.findall(source) if p != "%%"}
            for form in entry.msgstr:
                found = set(PLACEHOLDER.findall(form)) - {"%%"}
                stray = "%" in PLACEHOLDER.sub("", form)
                if (form and found != wanted) or stray:
                    broken.append(f"  {app}:{entry.line}: {entry.msgid!r} → {form!r}")
    assert not broken, "\n".join(["Translations that do not keep their placeholders:", *broken])
