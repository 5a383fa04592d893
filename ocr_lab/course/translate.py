"""The Korean edition, `notebooks/ko/`, generated from the English notebooks.

The English notebook is the source, and `notebooks/ko/translations/NAME.yaml` holds
the Korean text of each markdown cell, keyed by cell id, next to the English text it
was translated from. Code cells are the English ones, but for what a learner reads in
them: a code cell's entry lists `code:` pairs, each an English piece of the cell (a hint
comment, a printed sentence) and its Korean, replaced where it stands. A markdown cell
whose English text changed after it was translated, or a code pair whose English piece
is no longer in its cell, is reported by `verify` (and so fails CI) until its translation
is updated; so is a Korean notebook whose outputs still carry English sentences. Korean notebooks are executed in their own folder,
so the checks and plots of `ocr_lab` speak Korean there (`ocr_lab.messages`).
"""
from __future__ import annotations

import copy
from pathlib import Path

from ocr_lab.course.exercises import SOLUTION_SUFFIX, english_sources, exercise_path, make_exercise
from ocr_lab.course.learner import NOTEBOOK_DIR, rel
from ocr_lab.files import atomic_write

EDITIONS = ("ko",)  # notebooks/ko/: the lecture's language
TRANSLATIONS = "translations"


def edition_path(source: Path, lang: str) -> Path:
    """Where the `lang` edition of an English notebook lives: notebooks/ko/NAME.ipynb."""
    return source.parent / lang / source.name


def translation_path(source: Path, lang: str) -> Path:
    """The translation file of an English notebook: notebooks/ko/translations/NAME.yaml."""
    return source.parent / lang / TRANSLATIONS / f"{source.stem}.yaml"


def read_translation(path: Path) -> dict[str, dict]:
    """`{cell id: {"en": English text, "ko": Korean text}}` from a translation file ({} if there is none);
    a code cell's entry is `{"code": [{"en": piece, "ko": its translation}, ...]}`.

    Each entry keeps the English text it translates, so a changed English cell is found
    (its text no longer matches) and a translator sees what changed.
    """
    import yaml

    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cells = data.get("cells") or {}
    if not isinstance(cells, dict) or not all(isinstance(v, dict) for v in cells.values()):
        raise ValueError(f"{rel(path)}: expected `cells:` mapping each cell id to its `en` and translated text")
    return {str(k): v for k, v in cells.items()}


def _yaml_blocks(data) -> str:
    """YAML with multi-line strings as `|` blocks, so a translation file reads like the text it holds."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        pass

    BlockDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))
    return yaml.dump(data, Dumper=BlockDumper, allow_unicode=True, sort_keys=False, width=1000)


def write_translation(path: Path, source_name: str, cells: dict[str, dict[str, str]], lang: str) -> None:
    """Write a translation file, atomically, with a header that says how it is used."""
    header = (f"# The {lang} text of {source_name}'s markdown cells, keyed by cell id, and of what a learner\n"
              f"# reads in its code cells (`code:` pairs of an English piece of the cell and its {lang}).\n"
              f"# `en` is the English text each translation was made from: when the English cell changes,\n"
              f"# `python -m ocr_lab.notebooks verify` reports it until `en` and `{lang}` are updated here.\n")
    body = _yaml_blocks({"cells": cells})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_text(header + body, encoding="utf-8"))


def translation_problems(source_nb, translation: dict, source_name: str, file_name: str, lang: str) -> list[str]:
    """Markdown cells with no translation, a translation of older English text, or an empty one; code
    cells whose translation is stale or changes more than comments."""
    problems = []
    ids = set()
    for cell in source_nb.cells:
        entry = translation.get(cell.get("id"))
        if cell.cell_type == "code" and entry is not None:
            ids.add(cell.get("id"))
            problems += _code_translation_problems(cell, entry, source_name, file_name, lang)
        if cell.cell_type != "markdown":
            continue
        ids.add(cell.get("id"))
        where = f"{source_name}: markdown cell {cell.get('id')}"
        if entry is None:
            problems.append(f"{where} has no translation in {file_name}; add it "
                            f"(`python -m ocr_lab.notebooks translate --stubs` writes the English text there)")
        elif entry.get("en") != cell.source:
            problems.append(f"{where} changed since it was translated: update `en` and `{lang}` in {file_name}")
        elif not (entry.get(lang) or "").strip():
            problems.append(f"{where} has an empty `{lang}` text in {file_name}")
    for cell_id in sorted(set(translation) - ids):
        problems.append(f"{file_name}: cell {cell_id} is not a cell of {source_name} any more; remove it")
    return problems


def _code_pairs(entry: dict) -> list[dict]:
    pairs = entry.get("code")
    return pairs if isinstance(pairs, list) and all(isinstance(p, dict) for p in pairs) else []


def _code_translation_problems(cell, entry: dict, source_name: str, file_name: str, lang: str) -> list[str]:
    where = f"{source_name}: code cell {cell.get('id')}"
    if not _code_pairs(entry) or set(entry) != {"code"}:
        return [f"{file_name}: {where} needs `code:`, a list of `en` / `{lang}` pairs, and nothing else"]
    problems = []
    for pair in _code_pairs(entry):
        english, translated = pair.get("en") or "", pair.get(lang) or ""
        if not english.strip() or not translated.strip():
            problems.append(f"{where}: a `code` pair in {file_name} has an empty `en` or `{lang}`")
        elif english not in cell.source:
            problems.append(f"{where} changed since it was translated: {english.strip()[:60]!r} is not in it "
                            f"any more; update the pair in {file_name}")
    return problems


def translate_code(source: str, entry: dict | None, lang: str) -> str:
    """A code cell's source with each English piece of its `code:` pairs replaced by the translation."""
    for pair in _code_pairs(entry or {}):
        if pair.get("en") and pair.get(lang):
            source = source.replace(pair["en"], pair[lang])
    return source


def make_translation(source_nb, translation: dict, source_name: str, lang: str):
    """The `lang` edition of an English notebook: translated markdown, code cells with their comments and
    printed sentences translated, no outputs."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        entry = translation.get(cell.get("id"))
        if cell.cell_type == "markdown" and entry and (entry.get(lang) or "").strip():
            cell.source = entry[lang]
        elif cell.cell_type == "code":
            cell.source = translate_code(cell.source, entry, lang)
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    exercise = source_nb.metadata.get("ocr_lab", {}).get("exercise")
    nb.metadata["ocr_lab"] = {**({"exercise": exercise} if exercise else {}), "language": lang,
                              "translated_from": source_name,
                              "note": f"generated by `python -m ocr_lab.notebooks translate` from ../{source_name} "
                                      f"and {TRANSLATIONS}/{Path(source_name).stem}.yaml; edit those"}
    return nb


def _cells_text(nb) -> list[tuple]:
    """What must match between an edition and its source: each cell's type, id, text and tags."""
    return [(c.cell_type, c.get("id"), c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def _code_of(nb) -> list[tuple]:
    return [(c.get("id"), c.source) for c in nb.cells if c.cell_type == "code"]


def write_translations(folder: Path = NOTEBOOK_DIR, lang: str = "ko") -> tuple[list[Path], list[str]]:
    """(Re)build the `lang` edition from the English notebooks and the translation files.

    A notebook whose code is unchanged keeps the outputs of its last execution; one whose
    code changed is written without outputs (verify then asks for `execute`). The exercise
    copy is generated from the translated solution. Returns (written paths, problems).
    """
    import nbformat

    written, problems = [], []
    for source in english_sources(folder):
        source_nb = nbformat.read(source, as_version=4)
        tr_path = translation_path(source, lang)
        translation = read_translation(tr_path)
        problems += translation_problems(source_nb, translation, source.name, rel(tr_path), lang)
        nb = make_translation(source_nb, translation, source.name, lang)
        target = edition_path(source, lang)
        if target.exists():
            old = nbformat.read(target, as_version=4)
            if _code_of(old) == _code_of(nb):
                code_old = [c for c in old.cells if c.cell_type == "code"]
                for cell, before in zip([c for c in nb.cells if c.cell_type == "code"], code_old):
                    cell.outputs, cell.execution_count = before.outputs, before.execution_count
                nb.metadata = old.metadata | {"ocr_lab": nb.metadata["ocr_lab"]}
        written += _write_if_changed(nb, target)
    for solution in sorted((folder / lang).glob("*" + SOLUTION_SUFFIX)):
        written += _write_if_changed(_translated_exercise(solution, lang), exercise_path(solution))
    return written, problems


def _translated_exercise(solution: Path, lang: str):
    import nbformat

    exercise = make_exercise(nbformat.read(solution, as_version=4), solution.name)
    exercise.metadata["ocr_lab"]["language"] = lang
    return exercise


def _write_if_changed(nb, target: Path) -> list[Path]:
    import nbformat

    text = nbformat.writes(nb)
    if target.exists() and target.read_text(encoding="utf-8").rstrip("\n") == text.rstrip("\n"):
        return []
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    return [target]


def write_translation_stubs(folder: Path = NOTEBOOK_DIR, lang: str = "ko") -> list[str]:
    """Add the cells a translation file lacks, with their English text as `en` and an empty `lang` text.

    Stale entries are left alone (the translator compares `en` with the notebook); returns
    what was added, for the translator to fill in.
    """
    import nbformat

    added = []
    for source in english_sources(folder):
        tr_path = translation_path(source, lang)
        translation = read_translation(tr_path)
        cells = {}
        for cell in nbformat.read(source, as_version=4).cells:
            if cell.cell_type == "markdown":
                cells[cell.id] = translation.get(cell.id) or {"en": cell.source, lang: ""}
                if cell.id not in translation:
                    added.append(f"{rel(tr_path)}: {cell.id}")
            elif cell.id in translation:  # a code cell's pairs are written by hand
                cells[cell.id] = translation[cell.id]
        if cells != translation:
            write_translation(tr_path, source.name, cells, lang)
    return added
