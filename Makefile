# `make demo` and `make test` each set up .venv first when it is missing or pyproject.toml changed.
VENV ?= .venv
PY := $(VENV)/bin/python
WORKERS ?= 2
DEMO_OUT ?= runs/demo
# nbdev rewrites pyproject.toml (same text, new mtime), so the stamp keys on its content, not its time
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: demo test export sync bench bench-gpu

$(STAMP):
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/mechdecomp grid --profile smoke --out $(DEMO_OUT) --workers $(WORKERS)
	$(VENV)/bin/mechdecomp report --out $(DEMO_OUT)

test: $(STAMP)
	@before=$$(find mechdecomp -name '*.py' | sort | xargs cksum); $(VENV)/bin/nbdev-export; \
	if [ "$$before" != "$$(find mechdecomp -name '*.py' | sort | xargs cksum)" ]; then \
	  echo "nbdev-export changed the package: nbs/ and mechdecomp/ disagree (run make export and commit)"; exit 1; fi
	$(PY) tools/sync.py --check
	$(VENV)/bin/nbdev-test --n-workers 2
	$(PY) -m pytest -q -rs -n 2 --durations=8 tests

export: $(STAMP)
	$(VENV)/bin/nbdev-clean && $(VENV)/bin/nbdev-export && $(PY) tools/sync.py

sync:
	python3 tools/sync.py

bench: $(STAMP)
	$(VENV)/bin/mechdecomp bench

# One call on a CUDA machine: GPU vs CPU, no host sync in the step, fp32/bf16 epochs, 1/2/4 runs at once; a table last.
bench-gpu: $(STAMP)
	$(PY) tools/gpu_check.py --device cuda --json bench-gpu.json
