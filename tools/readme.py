"""Write README.md from nbs/index.ipynb without Quarto (which `nbdev-readme` needs and the build machines lack).

index.ipynb holds only markdown cells, so the README is those cells in order. `--check` exits 1 when README.md is stale."""
import json, sys, pathlib

root = pathlib.Path(__file__).resolve().parents[1]
nb = json.loads((root/'nbs'/'index.ipynb').read_text())
cells = [''.join(c['source']).strip() for c in nb['cells'] if c['cell_type'] == 'markdown']
text = '\n\n'.join(cells) + '\n'
readme = root/'README.md'
if '--check' in sys.argv:
    if not readme.exists() or readme.read_text() != text:
        sys.exit('README.md is out of date with nbs/index.ipynb: run `make readme`')
else:
    readme.write_text(text)
