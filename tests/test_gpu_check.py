"`make bench-gpu` runs tools/gpu_check.py once on a lent GPU, with no time to debug it there: run it here on the CPU first."
import json, os, subprocess, sys
from conftest import ROOT

def test_gpu_check_script_runs_on_cpu(tmp_path):
    out = tmp_path/'gc.json'
    # one thread: beside the other pytest worker, two spinning OpenMP threads per process made this 7× slower (273 s vs 38 s)
    p = subprocess.run([sys.executable, 'tools/gpu_check.py', '--device', 'cpu', '--images', '128', '--steps', '2', '--json', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'})
    assert p.returncode == 0, p.stderr[-3000:]
    r = json.loads(out.read_text())
    from mechdecomp.config import CONDITIONS
    assert list(r['cpu_vs_device']) == list(CONDITIONS)                  # every condition, the extended ones too
    assert all(v == 0.0 or v.startswith('skipped') for v in r['cpu_vs_device'].values())   # CPU against CPU: identical
    assert [b['precision'] for b in r['bench']] == ['fp32', 'bf16']
    assert all(x['epoch_s'] > 0 for b in r['bench'] for x in b['rows'])
    assert 'bench took' in p.stdout
