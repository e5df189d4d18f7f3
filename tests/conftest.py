"Shared helpers for the system tests: run the project's own commands from the repository root, as a user would."
import json, os, pathlib, subprocess, sys
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent
EXP = 'exp_J_mechanism_decomposition'

def run(cmd, *args, timeout=600, **kw):
    "Run one of the venv's commands (mechdecomp, papermill) from the repository root."
    return subprocess.run([str(BIN/cmd), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kw)

def results(folder):
    "{run_id: parsed result.json} under an output root."
    return {p.parent.name: json.loads(p.read_text()) for p in pathlib.Path(folder).rglob('result.json')}

def tmp_files(folder):
    return [p for p in pathlib.Path(folder).rglob('*') if '.tmp.' in p.name]
