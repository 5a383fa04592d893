"""The course notebooks as committed: executed, with outputs, exercise copies current.

`pytest --nbval-lax notebooks` (make test-notebooks) re-runs them; these tests check
what is committed and the exercise generator, without running any notebook.
"""
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ocr_lab import notebooks as nbs  # the alias of ocr_lab.course.learner, exercises, translate, nbgrader_source, notebooks

EXPECTED = ["01_data_inspection", "02_labels_and_ctc_exercise", "02_labels_and_ctc_solution", "03_crnn_model_exercise",
            "03_crnn_model_solution",
            "04_training_exercise", "04_training_solution", "05_inference_exercise", "05_inference_solution", "06_end_to_end_exercise",
            "06_end_to_end_solution"]
SOURCES = [n for n in EXPECTED if not n.endswith("_exercise")]


def test_the_course_has_its_notebooks_in_both_editions():
    assert sorted(p.stem for p in nbs.NOTEBOOK_DIR.glob("*.ipynb")) == EXPECTED
    assert sorted(p.stem for p in (nbs.NOTEBOOK_DIR / "ko").glob("*.ipynb")) == EXPECTED
    assert sorted(p.stem for p in (nbs.NOTEBOOK_DIR / "ko" / nbs.TRANSLATIONS).glob("*.yaml")) == SOURCES


def test_committed_notebooks_are_executed_current_and_have_outputs():
    problems = nbs.verify()
    assert problems == [], "\n".join(problems) + "\nrun `make notebooks` and commit the result"


def read(name, folder=None):
    return nbformat.read((folder or nbs.NOTEBOOK_DIR) / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", SOURCES)
def test_each_notebook_checks_outputs_and_shows_a_picture(name):
    code = [c for c in read(name).cells if c.cell_type == "code"]
    assert any("nbval-check-output" in c.metadata.get("tags", []) for c in code), "nbval --nbval-lax would compare nothing"
    assert any("image/png" in out.get("data", {}) for c in code for out in c.outputs), "no picture"


@pytest.mark.parametrize("name", EXPECTED)
def test_code_a_learner_reads_has_no_test_markers_and_no_install_path(name):
    for folder in (nbs.NOTEBOOK_DIR, nbs.NOTEBOOK_DIR / "ko"):
        for cell in read(name, folder).cells:
            if cell.cell_type == "code":
                assert "NBVAL" not in cell.source, "use the cell tags nbval-check-output / nbval-ignore-output"
                assert "REPO" not in cell.source, "a notebook writes under course_dir(), not where ocr_lab is installed"


@pytest.mark.parametrize("name", SOURCES)
def test_cells_have_unique_ids_the_translations_are_keyed_by(name):
    ids = [c.get("id") for c in read(name).cells]
    assert None not in ids and len(set(ids)) == len(ids)


@pytest.mark.parametrize("name", SOURCES)
def test_the_first_code_cell_imports_ocr_lab_notebooks_before_tensorflow(name):
    """ocr_lab.notebooks keeps TensorFlow's start-up log out of a live notebook, if it comes first."""
    first = next(c for c in read(name).cells if c.cell_type == "code").source
    imports = [line for line in first.splitlines() if line.startswith(("import ", "from "))]
    heavy = [i for i, line in enumerate(imports) if line.split()[1].split(".")[0] in ("ocr_lab", "tensorflow", "tf_keras")]
    assert heavy and imports[heavy[0]].startswith("from ocr_lab.notebooks import"), imports


def test_generated_exercise_is_not_executed_and_has_the_stubs():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "06_end_to_end_exercise.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is None and not c.outputs for c in code)
    assert sum(nbs.STUB in c.source for c in code) == 2  # detect_text and recognize_img
    assert not any(nbs.BEGIN_SOLUTION in c.source for c in code)


# ----------------------------------------------------------------------------- the generator

SOLUTION_CODE = '''def f(x):
    """Double x."""
    ### BEGIN SOLUTION
    # 1. multiply by two
    y = x * 2
    ### END SOLUTION
    return y'''


def _solution_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# Title\n<!-- BEGIN SOLUTION -->\nThis is the solution.\n<!-- END SOLUTION -->\n"
                          "<!-- EXERCISE ONLY: Fill in the blanks. -->"),
        new_code_cell(SOLUTION_CODE, execution_count=1, outputs=[new_output("stream", name="stdout", text="hi\n")]),
        new_code_cell("f(2)", execution_count=2),
        new_markdown_cell("<!-- BEGIN SOLUTION -->only in the solution<!-- END SOLUTION -->"),
    ])
    return nb


def test_make_exercise_keeps_hints_and_replaces_code_with_a_stub():
    ex = nbs.make_exercise(_solution_notebook(), "x_solution.ipynb")
    assert ex.cells[1].source == ('def f(x):\n    """Double x."""\n    # 1. multiply by two\n'
                                  f"    {nbs.STUB}\n    return y")
    assert ex.cells[1].outputs == [] and ex.cells[1].execution_count is None
    assert ex.cells[2].execution_count is None


def test_make_exercise_keeps_the_nbval_tags():
    nb = _solution_notebook()
    nb.cells[2].metadata["tags"] = ["nbval-check-output"]
    assert nbs.make_exercise(nb, "x_solution.ipynb").cells[2].metadata["tags"] == ["nbval-check-output"]


def test_make_exercise_markdown_markers():
    ex = nbs.make_exercise(_solution_notebook(), "x_solution.ipynb")
    assert ex.cells[0].source == "# Title\nFill in the blanks."
    assert len(ex.cells) == 3  # the solution-only markdown cell is gone
    assert ex.metadata["ocr_lab"]["generated_from"] == "x_solution.ipynb"


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_errors(source):
    nb = new_notebook(cells=[new_code_cell(source)])
    with pytest.raises(ValueError, match="SOLUTION"):
        nbs.make_exercise(nb, "x_solution.ipynb")


def test_verify_finds_stale_exercises_and_unexecuted_notebooks(tmp_path):
    nbformat.write(_solution_notebook(), tmp_path / "07_x_solution.ipynb")
    assert any("missing" in p for p in nbs.verify(tmp_path))
    nbs.write_exercises(tmp_path)
    assert nbs.verify(tmp_path) == []
    exercise = nbformat.read(tmp_path / "07_x_exercise.ipynb", as_version=4)
    exercise.cells[1].source += "\n# edited by hand"
    nbformat.write(exercise, tmp_path / "07_x_exercise.ipynb")
    assert any("out of date" in p for p in nbs.verify(tmp_path))

    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), tmp_path / "08_y.ipynb")
    assert any("08_y.ipynb: 1 of 1 code cells were not executed" in p for p in nbs.verify(tmp_path))


def test_verify_finds_out_of_order_runs_errors_and_machine_paths(tmp_path):
    error = new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])
    path = new_output("stream", name="stdout", text=f"{nbs.REPO}/data\n")
    nb = new_notebook(cells=[new_code_cell("1/0", execution_count=2, outputs=[error]),
                             new_code_cell("print(p)", execution_count=1, outputs=[path])])
    nbformat.write(nb, tmp_path / "09_z.ipynb")
    problems = "\n".join(nbs.verify(tmp_path))
    assert "not run top to bottom" in problems
    assert "ZeroDivisionError" in problems
    assert "this machine's path" in problems


def test_show_source_gives_markdown_and_text():
    src = nbs.show_source(nbs.rel)
    assert src._repr_markdown_().startswith("`ocr_lab/course/learner.py`\n```python\ndef rel(")
    assert repr(src).startswith("# ocr_lab/course/learner.py\ndef rel(")


def test_show_source_points_at_lines_and_refuses_ambiguous_ones():
    src = nbs.show_source(nbs.rel, notes={"for root in (course_dir(), REPO):": "the course folder first"})
    line = next(ln for ln in src.text.splitlines() if "for root in" in ln)
    assert line.endswith("for root in (course_dir(), REPO):  # <- the course folder first")
    with pytest.raises(ValueError, match="not on exactly one"):
        nbs.show_source(nbs.rel, notes={"return str(path": "two lines have this"})
    with pytest.raises(ValueError, match="on 0 lines"):
        nbs.show_source(nbs.rel, notes={"no such code": "x"})


def test_rel_prints_paths_relative_to_the_repository():
    assert nbs.rel(nbs.REPO / "data" / "x") == "data/x"


# ----------------------------------------------------------------------------- the course folder

def test_the_course_folder_is_where_the_learner_is_not_where_ocr_lab_is_installed(tmp_path, monkeypatch):
    clone = tmp_path / "my-clone"
    (clone / "notebooks" / "ko").mkdir(parents=True)
    (clone / "ocr_lab").mkdir()
    monkeypatch.delenv(nbs.COURSE_ENV, raising=False)
    monkeypatch.chdir(clone / "notebooks" / "ko")
    assert nbs.course_dir() == clone.resolve()
    assert nbs.quick_data_dir() == clone.resolve() / "data" / "synth_quick"
    assert nbs.rel(clone / "data" / "synth_quick" / "train") == "data/synth_quick/train"
    monkeypatch.chdir(tmp_path)  # not in a clone: the working directory itself
    assert nbs.course_dir() == tmp_path.resolve()
    monkeypatch.setenv(nbs.COURSE_ENV, str(clone))
    assert nbs.course_dir() == clone.resolve()


# ----------------------------------------------------------------------------- a quiet start

def test_importing_tensorflow_after_ocr_lab_notebooks_writes_nothing_to_stderr():
    import subprocess
    import sys

    code = "import ocr_lab.notebooks, tensorflow"
    env = {**nbs.notebook_env(), "TF_CPP_MIN_LOG_LEVEL": "0"}
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=nbs.REPO)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    loud = subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, text=True, env=env,
                          cwd=nbs.REPO)
    assert "cuda" in loud.stderr.lower() or "absl" in loud.stderr, "TensorFlow became quiet by itself: drop the hook"


# ----------------------------------------------------------------------------- plots and fonts

def test_verify_finds_plots_without_their_glyphs_and_cells_that_pick_a_font(tmp_path):
    warning = new_output("stream", name="stderr", text="UserWarning: Glyph 44160 missing from font(s) DejaVu Sans.\n")
    nb = new_notebook(cells=[new_code_cell("plt.title('검출')", execution_count=1, outputs=[warning]),
                             new_code_cell("ax.set_title('x', fontfamily='DejaVu Sans')", execution_count=2,
                                           outputs=[new_output("stream", name="stdout", text="ok\n")])])
    nbformat.write(nb, tmp_path / "10_fonts.ipynb")
    problems = "\n".join(nbs.verify(tmp_path))
    assert "cell 0 drew text in a font without its glyphs" in problems
    assert "cell 1 sets a font of its own" in problems


# ----------------------------------------------------------------------------- the Korean edition

def _english_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Title\nThe data set.", id="md-title"),
        new_code_cell("print(1 + 1)", execution_count=1, id="code-1",
                      outputs=[new_output("stream", name="stdout", text="2\n")],
                      metadata={"tags": ["nbval-check-output"]}),
        new_markdown_cell("Next: training.", id="md-next"),
    ])


def _translate(folder, cells):
    nbs.write_translation(nbs.translation_path(folder / "07_x.ipynb", "ko"), "07_x.ipynb", cells, "ko")


KOREAN = {"md-title": {"en": "# Title\nThe data set.", "ko": "# 제목\n데이터셋."},
          "md-next": {"en": "Next: training.", "ko": "다음: 학습."}}


def test_the_korean_edition_is_built_from_the_english_notebook_and_the_translation(tmp_path):
    nbformat.write(_english_notebook(), tmp_path / "07_x.ipynb")
    _translate(tmp_path, KOREAN)
    written, problems = nbs.write_translations(tmp_path, "ko")
    assert problems == [] and written == [tmp_path / "ko" / "07_x.ipynb"]
    ko = nbformat.read(tmp_path / "ko" / "07_x.ipynb", as_version=4)
    assert [c.source for c in ko.cells] == ["# 제목\n데이터셋.", "print(1 + 1)", "다음: 학습."]
    assert ko.cells[1].metadata["tags"] == ["nbval-check-output"]
    assert ko.metadata["ocr_lab"]["language"] == "ko"
    assert ko.cells[1].execution_count is None  # not executed yet: verify says so
    assert any("ko/07_x.ipynb: 1 of 1 code cells were not executed" in p for p in nbs.verify(tmp_path))
    ko.cells[1].execution_count, ko.cells[1].outputs = 1, [new_output("stream", name="stdout", text="2\n")]
    nbformat.write(ko, tmp_path / "ko" / "07_x.ipynb")
    assert nbs.verify(tmp_path) == []
    assert nbs.write_translations(tmp_path, "ko") == ([], [])  # unchanged code keeps its outputs, nothing rewritten


def test_verify_reports_a_stale_translation_and_a_hand_edited_copy(tmp_path):
    nbformat.write(_english_notebook(), tmp_path / "07_x.ipynb")
    _translate(tmp_path, KOREAN)
    nbs.write_translations(tmp_path, "ko")
    english = nbformat.read(tmp_path / "07_x.ipynb", as_version=4)
    english.cells[0].source = "# Title\nThe data set, now larger."  # the English changed; the Korean did not
    nbformat.write(english, tmp_path / "07_x.ipynb")
    problems = "\n".join(nbs.verify(tmp_path))
    assert "07_x.ipynb: markdown cell md-title changed since it was translated" in problems
    assert "ko/07_x.ipynb: its cells differ" not in problems  # the copy still shows the old, matching translation

    _translate(tmp_path, {**KOREAN, "md-title": {"en": "# Title\nThe data set, now larger.", "ko": "# 제목\n더 큰 데이터셋."}})
    problems = "\n".join(nbs.verify(tmp_path))
    assert "changed since it was translated" not in problems
    assert "ko/07_x.ipynb: its cells differ from 07_x.ipynb" in problems  # not rebuilt yet
    nbs.write_translations(tmp_path, "ko")
    assert "its cells differ" not in "\n".join(nbs.verify(tmp_path))

    english.cells.insert(1, new_markdown_cell("A new cell.", id="md-new"))
    nbformat.write(english, tmp_path / "07_x.ipynb")
    assert any("markdown cell md-new has no translation" in p for p in nbs.verify(tmp_path))
    assert nbs.write_translation_stubs(tmp_path, "ko") == [f"{nbs.rel(nbs.translation_path(tmp_path / '07_x.ipynb', 'ko'))}: md-new"]
    assert any("md-new has an empty `ko` text" in p for p in nbs.verify(tmp_path))


def test_a_changed_code_cell_reaches_the_korean_copy_without_its_old_outputs(tmp_path):
    nbformat.write(_english_notebook(), tmp_path / "07_x.ipynb")
    _translate(tmp_path, KOREAN)
    nbs.write_translations(tmp_path, "ko")
    ko = nbformat.read(tmp_path / "ko" / "07_x.ipynb", as_version=4)
    ko.cells[1].execution_count, ko.cells[1].outputs = 1, [new_output("stream", name="stdout", text="2\n")]
    nbformat.write(ko, tmp_path / "ko" / "07_x.ipynb")
    english = nbformat.read(tmp_path / "07_x.ipynb", as_version=4)
    english.cells[1].source = "print(2 + 2)"
    nbformat.write(english, tmp_path / "07_x.ipynb")
    assert any("ko/07_x.ipynb: its cells differ" in p for p in nbs.verify(tmp_path))
    nbs.write_translations(tmp_path, "ko")
    ko = nbformat.read(tmp_path / "ko" / "07_x.ipynb", as_version=4)
    assert ko.cells[1].source == "print(2 + 2)" and ko.cells[1].outputs == []


def test_the_korean_exercise_is_generated_from_the_korean_solution(tmp_path):
    solution = _solution_notebook()
    nbformat.write(solution, tmp_path / "07_x_solution.ipynb")
    nbs.write_exercises(tmp_path)
    cells = {c.id: {"en": c.source, "ko": "번역: " + c.source} for c in solution.cells if c.cell_type == "markdown"}
    nbs.write_translation(nbs.translation_path(tmp_path / "07_x_solution.ipynb", "ko"), "07_x_solution.ipynb",
                          cells, "ko")
    nbs.write_translations(tmp_path, "ko")
    exercise = nbformat.read(tmp_path / "ko" / "07_x_exercise.ipynb", as_version=4)
    assert exercise.cells[0].source == "번역: # Title\nFill in the blanks."
    assert exercise.metadata["ocr_lab"]["language"] == "ko"
    assert nbs.STUB in exercise.cells[1].source


def test_the_korean_edition_translates_hint_comments_and_printed_sentences_of_code_cells(tmp_path):
    solution = _solution_notebook()
    solution.cells[2].source = 'print("the doubled value is", f(2))'
    nbformat.write(solution, tmp_path / "07_x_solution.ipynb")
    nbs.write_exercises(tmp_path)
    cells = {c.id: {"en": c.source, "ko": "번역: " + c.source} for c in solution.cells if c.cell_type == "markdown"}
    cells[solution.cells[1].id] = {"code": [{"en": "# 1. multiply by two", "ko": "# 1. 2를 곱하세요"}]}
    cells[solution.cells[2].id] = {"code": [{"en": '"the doubled value is"', "ko": '"두 배 한 값:"'}]}
    tr_path = nbs.translation_path(tmp_path / "07_x_solution.ipynb", "ko")
    nbs.write_translation(tr_path, "07_x_solution.ipynb", cells, "ko")
    assert nbs.write_translations(tmp_path, "ko")[1] == []
    ko_solution = nbformat.read(tmp_path / "ko" / "07_x_solution.ipynb", as_version=4)
    assert "# 1. 2를 곱하세요" in ko_solution.cells[1].source and "multiply" not in ko_solution.cells[1].source
    assert ko_solution.cells[2].source == 'print("두 배 한 값:", f(2))'
    exercise = nbformat.read(tmp_path / "ko" / "07_x_exercise.ipynb", as_version=4)
    assert "    # 1. 2를 곱하세요\n    " + nbs.STUB in exercise.cells[1].source  # the learner's hint, in Korean
    assert nbs.write_translation_stubs(tmp_path, "ko") == [] and nbs.read_translation(tr_path) == cells  # kept

    solution.cells[1].source = solution.cells[1].source.replace("multiply by two", "double it")
    nbformat.write(solution, tmp_path / "07_x_solution.ipynb")
    problems = "\n".join(nbs.verify(tmp_path))
    assert f"code cell {solution.cells[1].id} changed since it was translated: '# 1. multiply by two'" in problems


@pytest.mark.parametrize("text, found", [
    ("the training loss fell: True", ["the training loss fell"]),
    ("Adadelta(lr=0.1) ignores lr, so it trains at the default", ["ignores lr, so it trains at the default"]),
    ("<p><b>✘ failed: <code>detect_text</code></b><br>crop 0 shows a part of the scene</p>",
     ["shows a part of the scene"]),
    ("학습 손실이 줄었습니다: True", []),
    ("단어 정확도 (word accuracy)  0.91  CER 0.03", []),
    ("skipped: {'empty after filtering': 1, 'too long for CTC': 2}", []),
    ("data: data/synth_quick/test  ../../checkpoints/crnn_small_warm.h5", []),
    ("`decode_predict_ctc(y_pred, TARGET_CHARACTERS)`를 호출하세요", []),
    ("```python\ndef rel(path):\n    return the path relative to the repo\n```", []),
    ("model_pred.predict(batch, verbose=0) 결과", []),
])
def test_english_sentences_are_found_and_code_names_are_not(text, found):
    assert nbs.english_sentences(text) == found


def test_verify_fails_on_english_in_korean_outputs_and_on_stderr_noise(tmp_path):
    nbformat.write(_english_notebook(), tmp_path / "07_x.ipynb")
    _translate(tmp_path, KOREAN)
    nbs.write_translations(tmp_path, "ko")
    ko = nbformat.read(tmp_path / "ko" / "07_x.ipynb", as_version=4)
    ko.cells[1].execution_count = 1
    ko.cells[1].outputs = [
        new_output("stream", name="stdout", text="the training loss fell: True\n"),
        new_output("stream", name="stderr", text="WARNING:ocr_lab:Adadelta(lr=0.1)는 lr을 무시합니다\n"),
        new_output("display_data", data={"text/markdown": "`ocr_lab/x.py`\n```python\n# the code, in English\n```",
                                          "text/plain": "# ocr_lab/x.py\n# the code, in English"}),
    ]
    nbformat.write(ko, tmp_path / "ko" / "07_x.ipynb")
    assert nbs.verify(tmp_path) == ["ko/07_x.ipynb: cell 1 shows English to a ko learner: 'the training loss fell'; "
                                    "translate the printed text (a `code` pair in its translation file) or "
                                    "ocr_lab's message"]
    ko.cells[1].outputs[0].text = "학습 손실이 줄었습니다: True\n"
    ko.cells[1].outputs.append(new_output("stream", name="stderr", text=(
        "WARNING:matplotlib.font_manager:findfont: Font family ['STIXGeneral'] not found.\n")))
    nbformat.write(ko, tmp_path / "ko" / "07_x.ipynb")
    problems = nbs.verify(tmp_path)
    assert len(problems) == 1 and "cell 1 has stderr output a learner would not see" in problems[0]
    assert "findfont" in problems[0]


# ----------------------------------------------------------------------------- notebook 04's warm start


# ----------------------------------------------------------------------------- notebook 04 trains from scratch

def test_notebook_04_trains_from_random_weights_on_the_first_steps_preset():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "04_training_solution.ipynb", as_version=4)
    training = [c.source for c in nb.cells if c.cell_type == "code" and "result = train(" in c.source]
    assert len(training) == 1
    assert "init_from" not in training[0] and 'first_steps["train"]' in training[0]
    assert "LiveProgress" in training[0]
    assert any("first_steps_data()" in c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", SOURCES)
def test_korean_emphasis_renders(name):
    """CommonMark closes `**` only if it is not between punctuation and a letter: `**검출(Detection)**은`
    shows its asterisks; `**검출**(Detection)은` is bold. Korean particles make this easy to get wrong."""
    import re

    translation = nbs.read_translation(nbs.translation_path(nbs.NOTEBOOK_DIR / f"{name}.ipynb", "ko"))
    bad = [(cell_id, m.group()) for cell_id, entry in translation.items() if "ko" in entry  # markdown, not code
           for m in re.finditer(r"[)\]'\"`.,:!?]\*{1,2}[가-힣]", entry["ko"])]
    assert bad == []


def test_notebook_02_exercise_has_three_stubs_and_its_korean_copy_korean_hints():
    for folder, hint in ((nbs.NOTEBOOK_DIR, "# One class index per character"),
                         (nbs.NOTEBOOK_DIR / "ko", "# 글자마다 class index 하나")):
        nb = nbformat.read(folder / "02_labels_and_ctc_exercise.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert sum(c.source.count(nbs.STUB) for c in code) == 4  # encode, decode, ctc_lengths, ctc_loss
        assert any(hint in c.source for c in code) and nb.metadata["ocr_lab"]["exercise"] == "02_labels_and_ctc"


def test_notebook_05_exercise_has_two_stubs_and_no_package_decoder_over_the_learner_s():
    nb = nbformat.read(nbs.NOTEBOOK_DIR / "05_inference_exercise.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sum(c.count(nbs.STUB) for c in code) == 2  # decode_predict_ctc, check_inference
    assert not any("import decode_predict_ctc" in c or "decode_predict_ctc," in c.split("import")[-1] for c in code
                   if "import" in c), "an import would replace the learner's decode_predict_ctc"
