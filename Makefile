# `make all` regenerates every lesson into output/; `make test` runs the whole test suite.
# Both create the virtual environment .venv and install the package into it when needed.
PYTHON ?= python3
# Another environment from the command line, e.g. every dependency at its floor (as .ci/run does):
#   make test VENV=.venv-floor PIP_CONSTRAINTS=.venv-floor/constraints.txt
VENV   := .venv
PIP_CONSTRAINTS :=
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BYTECODE := $(VENV)/.bytecode
OUT    := output
QUIET  ?= $(if $(CI),--quiet,)

# Lessons are independent, so make runs one job per core: one job's TensorFlow start-up and file
# reads overlap the other's work (bench/make_all.py times `make all`). Each job's
# output is printed whole when it ends (progress bars switch themselves off off a terminal).
MAKEFLAGS += --jobs=$(shell nproc 2>/dev/null || echo 2) --output-sync=target

LESSONS    := $(sort $(basename $(notdir $(filter-out scenarios/__init__.py,$(wildcard scenarios/*.py)))))
TRAIN_SRC  := animate/recorder.py animate/model_info.py animate/steps.py animate/step_loop.py animate/landscape.py animate/train.py animate/scenario.py animate/schedule.py animate/recording.py
RENDER_SRC := $(wildcard animate/render/*.py animate/render/fast/*.py) animate/recording.py animate/files.py
MEDIA      := $(foreach lesson,$(LESSONS),$(OUT)/$(lesson).gif $(OUT)/$(lesson).mp4 $(OUT)/$(lesson).png)

.PHONY: all same-bytes test test-fast lint bench clean install list $(LESSONS)
.DEFAULT_GOAL := all
.PRECIOUS: $(OUT)/%.npz  # recordings are kept, so a change to the renderer re-renders without retraining
.DELETE_ON_ERROR:

all: $(MEDIA)

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml $(PIP_CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' $(if $(PIP_CONSTRAINTS),--constraint $(PIP_CONSTRAINTS))
	touch $@

# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set (CI machines) every
# process would compile the package afresh (a share of each render's start-up): compile it once.
$(BYTECODE): $(wildcard animate/*.py animate/render/*.py animate/render/fast/*.py scenarios/*.py) | $(STAMP)
	$(BIN)/python -m compileall -q animate scenarios
	touch $@

$(OUT)/%.npz: scenarios/%.py $(TRAIN_SRC) | $(STAMP) $(BYTECODE)
	$(BIN)/nn-animate run $* --out $(OUT) --no-render $(QUIET)

# One render writes all three files (a grouped pattern rule).
$(OUT)/%.gif $(OUT)/%.mp4 $(OUT)/%.png: $(OUT)/%.npz $(RENDER_SRC) | $(STAMP) $(BYTECODE)
	$(BIN)/nn-animate render $< --out $(OUT)/$* --format gif,mp4,png $(QUIET)

$(LESSONS): %: $(OUT)/%.gif

# Every committed recording re-rendered to the committed bytes (a renderer refactor must not change them).
same-bytes: | $(STAMP) $(BYTECODE)
	bash .ci/same_bytes.sh $(VENV)

list: | $(STAMP)
	$(BIN)/nn-animate list

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The inner loop: every test marked neither `trains` nor `slow`, one pytest-xdist worker per core, with Keras,
# TensorFlow and JAX made unimportable (in pytest and in the CLI processes tests start; tests/conftest.py), so
# an unmarked test that loads them fails. `make test` still runs every test, in one process.
test-fast: $(STAMP) | $(BYTECODE)
	NN_ANIMATE_TESTS_NO_KERAS=1 $(BIN)/python -m pytest -q -m "not trains and not slow" \
	    --numprocesses=$(shell nproc 2>/dev/null || echo 2) --dist=worksteal

lint: $(STAMP)
	$(BIN)/ruff check animate scenarios bench
	$(BIN)/mypy

BENCHES := recording_overhead train_lesson render_speed render_floor render_memory frame_spacing make_all

bench: $(STAMP) $(BYTECODE)
	for script in $(BENCHES); do $(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -f $(OUT)/*.npz $(OUT)/*.gif $(OUT)/*.mp4 $(OUT)/*.png
