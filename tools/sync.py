"""Keep the files derived from notebooks in step, without Quarto (which `nbdev-readme` needs and the build machines lack).

- README.md is the markdown cells of nbs/index.ipynb (index.ipynb holds only markdown).
- mechdecomp/run.ipynb and report.ipynb are copies of nbs/'s, so that a plain `pip install` finds the run and report notebooks.

`--check` exits 1 when either is stale."""
import json, sys, pathlib

root = pathlib.Path(__file__).resolve().parents[1]
nb = json.loads((root/'nbs'/'index.ipynb').read_text())
readme = '\n\n'.join(''.join(c['source']).strip() for c in nb['cells'] if c['cell_type'] == 'markdown') + '\n'
targets = {root/'README.md': readme, **{root/'mechdecomp'/n: (root/'nbs'/n).read_text() for n in ('run.ipynb', 'report.ipynb')}}
if '--check' in sys.argv:
    stale = [str(p.relative_to(root)) for p, text in targets.items() if not p.exists() or p.read_text() != text]
    if stale: sys.exit(f"{', '.join(stale)} out of date with nbs/: run `make export` and commit")
else:
    for p, text in targets.items(): p.write_text(text)
