"System tests of the console script, run as a user runs it."
import subprocess, sys, pathlib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXE = pathlib.Path(sys.executable).with_name('mechdecomp')

def run(*args):
    return subprocess.run([str(EXE), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)

def test_demo_prints_every_condition():
    p = run('demo', '--profile', 'test', '--quiet')
    assert p.returncode == 0, p.stderr
    rows = [l.split() for l in p.stdout.splitlines() if l.split() and l.split()[0] in
            ('CE_baseline', 'Misaligned_raw', 'Misaligned_renorm', 'LR_matched', 'Orthogonal_noise')]
    assert [r[0] for r in rows] == ['CE_baseline', 'Misaligned_raw', 'Misaligned_renorm', 'LR_matched', 'Orthogonal_noise']
    errors = [float(r[3]) for r in rows]
    assert all(0.0 <= e <= 1.0 for e in errors)
    assert '5 runs on the test profile' in p.stdout

@pytest.mark.parametrize('args,needle', [
    (['demo', '--profile', 'fast'], "profile='fast'"),
    (['demo', '--lam', '1.5'], 'lam=1.5'),
    (['demo', '--seed', '-1'], 'seed=-1'),
])
def test_demo_refuses_bad_input(args, needle):
    p = run(*args)
    assert p.returncode == 2
    assert needle in p.stderr
    assert p.stdout == ''          # refused before anything trained
