"""Drives the real Anki (the `anki` package on PyPI, Anki's own Rust backend) for the tests in
tests/anki_real.rs: import a package into a collection, answer cards with Anki's scheduler,
export with scheduling, read a note. Each command prints one JSON object.

    anki_tool.py import COLLECTION PACKAGE
    anki_tool.py answer COLLECTION EASE...          # one due card of the Rehearse deck per ease
    anki_tool.py export COLLECTION OUT FORMAT       # apkg, apkg-legacy, colpkg, colpkg-legacy
    anki_tool.py note COLLECTION GUID
"""

import json
import sys

from anki import import_export_pb2 as ie
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

IF_NEWER = ie.ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def import_package(col, package):
    options = ImportAnkiPackageOptions(
        with_scheduling=True, update_notes=IF_NEWER, update_notetypes=IF_NEWER
    )
    log = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=package, options=options)
    ).log
    return {
        "found": log.found_notes,
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "notes": col.note_count(),
        "decks": sorted(d.name for d in col.decks.all_names_and_ids()),
    }


def answer(col, eases):
    col.decks.select(col.decks.id_for_name("Rehearse"))
    answered = []
    for ease in eases:
        card = col.sched.getCard()
        if card is None:
            break
        states = col._backend.get_scheduling_states(card.id)
        # Anki numbers its ratings from 0 (Again); its review log, like ours, from 1.
        rating = ease - 1
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        answered.append({"guid": card.note().guid, "ease": ease})
    return {"answered": answered, "revlog": col.db.scalar("SELECT count(*) FROM revlog")}


def export(col, out, form):
    legacy = form.endswith("-legacy")
    if form.startswith("colpkg"):
        col.export_collection_package(out, include_media=False, legacy=legacy)
    else:
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=legacy
        )
        col.export_anki_package(out_path=out, options=options, limit=None)
    return {"written": out}


def note(col, guid):
    ids = col.db.list("SELECT id FROM notes WHERE guid = ?", guid)
    found = col.get_note(ids[0]) if ids else None
    return {
        "count": len(ids),
        "fields": dict(found.items()) if found else {},
        "mod": found.mod if found else None,
        "notes": col.note_count(),
    }


def main(argv):
    command, path, rest = argv[1], argv[2], argv[3:]
    col = Collection(path)
    try:
        if command == "import":
            result = import_package(col, rest[0])
        elif command == "answer":
            result = answer(col, [int(e) for e in rest])
        elif command == "export":
            result = export(col, rest[0], rest[1])
        elif command == "note":
            result = note(col, rest[0])
        else:
            raise SystemExit(f"unknown command {command}")
    finally:
        # Colpkg export closes the collection itself.
        if col.db:
            col.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
