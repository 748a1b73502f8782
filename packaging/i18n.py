#!/usr/bin/env python3
"""Keep breaker's message catalogues in step with the source.

    python3 packaging/i18n.py update    # extract every marked string to breaker/locale/breaker.pot, merge each .po
    python3 packaging/i18n.py compile   # write the .mo files the program reads
    python3 packaging/i18n.py check     # list untranslated, fuzzy or placeholder-mismatched entries (exit 1)

Marked strings: ``_()``, ``N_()``, ``ngettext()``, ``pgettext()`` and ``said_n()`` in breaker/**.py, and the text
fields of the packaged movement catalogue (breaker/exercises.toml: see CATALOGUE_FIELDS).
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "breaker"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "breaker.pot"
LANGUAGES = ("de", "es", "fr")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "said_n": (1, 2)}
# text fields a person reads, per table of exercises.toml (lists of tables are walked into)
CATALOGUE_FIELDS = {"name", "summary", "text", "cue", "cue_without_wall", "label", "question",
                    "question_without_wall", "answers", "targets", "side_label"}
# what a translator needs to know about a field's text (written into the .pot as a comment)
FIELD_NOTES = {
    "answers": "A self-check answer, shown on a button (keep it short). \"right\" means \"about right\" (not a "
               "side). The program keeps the English answer as its data; only the button shows this.",
    "targets": "A body part or muscle group an exercise works, shown in lists. Use the physiotherapist's term.",
    "side_label": "Names the limb of one side during a timed hold. Keep {Side} (it becomes the translated "
                  "\"Left\" or \"Right\" on its own); word it so no ending has to agree with it.",
    "label": "A level of the wall drill. Keep the numbers (cm) as they are.",
    "cue": "A step of a guided break, read while moving. Keep every number (reps, seconds, cm) unchanged.",
}
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:[:!][^}]*)?\}|%(?:\([a-z_]+\))?[sdif]")


def _catalogue_strings(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Each translatable text of the catalogue with the field it is in: (field, text)."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _catalogue_strings(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _catalogue_strings(item, key)
    elif isinstance(value, str) and key in CATALOGUE_FIELDS and value.strip():
        yield key, value


def extract() -> Catalog:
    """Every marked string of the source and the catalogue, with where it comes from."""
    pot = Catalog(project="breaker", version="0.1", domain="breaker", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), [("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        pot.add(message, locations=[(f"breaker/{filename}", lineno)], auto_comments=comments, context=context)
    data = tomllib.loads((PACKAGE / "exercises.toml").read_text(encoding="utf-8"))
    for field, text in _catalogue_strings(data):
        note = FIELD_NOTES.get("cue" if field == "cue_without_wall" else field)
        pot.add(text, locations=[("breaker/exercises.toml", 0)], auto_comments=[note] if note else [])
    return pot


def _read(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        write_po(stream, catalog, width=100, omit_header=False, sort_output=False)


def update() -> None:
    """Write the template and merge it into every language's catalogue (new entries come empty)."""
    pot = extract()
    _write(POT, pot)
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / "breaker.po"
        catalog = _read(path) if path.exists() else Catalog(locale=language, domain="breaker")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(path, catalog)


def compile_all() -> None:
    """Write each language's .mo from its .po (fuzzy entries are left out)."""
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / "breaker.po"
        with path.with_suffix(".mo").open("wb") as stream:
            write_mo(stream, _read(path))


def placeholders(text: str) -> list[str]:
    """The format placeholders of a message, sorted ("{name}", "%s"...)."""
    return sorted(PLACEHOLDER.findall(text))


def problems(language: str, pot: Catalog) -> list[str]:
    """What keeps ``language``'s catalogue from being complete and safe to format."""
    catalog = _read(LOCALE / language / "LC_MESSAGES" / "breaker.po")
    found = []
    for template in pot:
        if not template.id:
            continue
        entry: Message | None = catalog.get(template.id, context=template.context)
        label = f"{language}: {template.id if isinstance(template.id, str) else template.id[0]!r}"
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            found.append(f"{label} is not translated")
            continue
        if entry.fuzzy:
            found.append(f"{label} is marked fuzzy")
        sources = template.id if isinstance(template.id, tuple) else (template.id,)
        targets = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        want = placeholders(sources[-1])
        for target in targets:
            if placeholders(target) != want and placeholders(target) != placeholders(sources[0]):
                found.append(f"{label} has placeholders {placeholders(target)}, the source {want}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        pot = extract()
        found = [line for language in LANGUAGES for line in problems(language, pot)]
        print("\n".join(found) or "every catalogue is complete")
        return 1 if found else 0
    else:
        print(f"i18n.py: unknown command {command!r} (update, compile, check)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
