"""Faults as they happen: a run killed at any moment, a whole grid killed again and again, two grids on one folder, damaged files.
Everything runs on the CPU with one thread per process, so resumed and uninterrupted runs can be compared bit for bit."""
import json, os, signal, subprocess, sys, time, textwrap
import pytest, torch
from conftest import run, results, tmp_files, ROOT, BIN, EXP
from mechdecomp.config import RunConfig
from mechdecomp.store import claim_state, CHECKPOINT, CLAIM

ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1', 'CUDA_VISIBLE_DEVICES': ''}
CONDS = [('CE_baseline', None), ('Misaligned_raw', 0.2), ('Misaligned_renorm', 0.2), ('LR_matched', 0.2), ('Orthogonal_noise', 0.2)]
RUN = textwrap.dedent('''
    import sys, json
    from mechdecomp.config import RunConfig
    from mechdecomp.grid import execute_run
    cond, lam, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    cfg = RunConfig.from_profile('test', cond, lam, 1, epochs=8, width=8, n_train=512, K=5, keep_checkpoint=True)
    execute_run(cfg, out, lr_scale=0.8, progress=False, log=lambda m: None)
''')

def start(cond, lam, out): return subprocess.Popen([sys.executable, '-c', RUN, cond, json.dumps(lam), str(out)], env=ENV)
def strip(rec): return ({k: v for k, v in rec['result'].items() if k != 'time_seconds'}, [{k: v for k, v in h.items() if k != 'time_seconds'} for h in rec['history']])

@pytest.mark.parametrize('cond,lam', CONDS)
def test_killed_run_resumes_bit_identical(tmp_path, cond, lam):
    assert start(cond, lam, tmp_path/'whole').wait() == 0
    rid = RunConfig.from_profile('test', cond, lam, 1).run_id
    d = tmp_path/'killed'/EXP/rid
    p = start(cond, lam, tmp_path/'killed')
    while not (d/CHECKPOINT).exists(): assert p.poll() is None, 'finished before it could be killed'; time.sleep(0.01)
    time.sleep(0.3)                                                  # kill somewhere after a checkpoint, mid-epoch
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (d/'result.json').exists()                            # it really was killed before the end
    assert start(cond, lam, tmp_path/'killed').wait() == 0           # same command: resumes
    whole, resumed = results(tmp_path/'whole')[rid], results(tmp_path/'killed')[rid]
    assert resumed['resumed_from_epoch'] >= 1
    assert strip(resumed) == strip(whole)                            # metrics, history: identical
    a = torch.load(tmp_path/'whole'/EXP/rid/CHECKPOINT, weights_only=False)['trainer']['model']
    b = torch.load(d/CHECKPOINT, weights_only=False)['trainer']['model']
    assert all(torch.equal(a[k], b[k]) for k in a)                   # final parameters and buffers: bit-identical

GRID = ['grid', '--profile', 'test', '--conditions', 'CE_baseline', 'Misaligned_raw', 'LR_matched', 'Orthogonal_noise',
        '--lambdas', '0.1', '--seeds', '0', '--epochs', '6', '--workers', '1', '--quiet']

def wait_unclaimed(folder, timeout=20):
    "After a kill, orphaned kernels notice their parent is gone and exit; wait until no live claim is left."
    t0 = time.time()
    while any(claim_state(p.parent) for p in folder.rglob(CLAIM)) and time.time() - t0 < timeout: time.sleep(0.2)

def test_grid_survives_repeated_kills(tmp_path):
    ref = run('mechdecomp', *GRID, '--out', tmp_path/'ref', env=ENV)
    assert ref.returncode == 0, ref.stderr[-2000:]
    out, kills = tmp_path/'faulty', 0
    for delay in (2.0, 4.0, 5.5, 7.0, 8.5, 10.0):
        p = subprocess.Popen([str(BIN/'mechdecomp'), *GRID, '--out', str(out)], cwd=ROOT, env=ENV, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if p.poll() is None: os.killpg(p.pid, signal.SIGKILL); kills += 1
        p.wait(); wait_unclaimed(out)
    last = run('mechdecomp', *GRID, '--out', out, env=ENV)
    assert last.returncode == 0, last.stderr[-2000:]
    assert kills >= 5, kills
    want, got = results(tmp_path/'ref'), results(out)
    assert sorted(got) == sorted(want) and len(got) == 4
    assert {r: (v['result']['test_acc'], v['result']['best_acc']) for r, v in got.items()} == \
           {r: (v['result']['test_acc'], v['result']['best_acc']) for r, v in want.items()}
    assert tmp_files(out) == [] and list(out.rglob(CLAIM)) == [] and list(out.rglob(CHECKPOINT)) == []
    print(f"{kills} kills survived")

def test_two_grids_on_one_folder(tmp_path):
    cmd = [str(BIN/'mechdecomp'), *GRID, '--out', str(tmp_path)]
    a = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    b = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    (oa, _), (ob, _) = a.communicate(timeout=600), b.communicate(timeout=600)
    assert a.returncode == 0 and b.returncode == 0, (oa, ob)
    trained = lambda o: int(o.strip().splitlines()[-1].split(' trained')[0])
    assert trained(oa) + trained(ob) == 4, (oa, ob)                  # every run trained exactly once between them
    assert len({r['run_token'] for r in results(tmp_path).values()}) == 4
    assert len(results(tmp_path)) == 4 and tmp_files(tmp_path) == []

def test_damaged_files_are_detected_and_redone(tmp_path):
    from mechdecomp.analysis import load_results
    g = ['grid', '--profile', 'test', '--conditions', 'CE_baseline', '--seeds', '0', '1', '2', '--quiet', '--out', tmp_path]
    assert run('mechdecomp', *g, env=ENV).returncode == 0
    e = tmp_path/EXP
    (e/'CE_baseline_seed0'/'result.json').write_text((e/'CE_baseline_seed0'/'result.json').read_text()[:80])   # truncated
    (e/'CE_baseline_seed1'/'result.json').write_text('')                                                       # empty
    (e/'CE_baseline_seed2'/'result.json').write_text('{"status": "finished", "result": {}}')                   # wrong shape
    (e/'CE_baseline_seed2'/CHECKPOINT).write_bytes(b'PK\x03\x04 not a checkpoint')                             # damaged checkpoint
    assert len(load_results(tmp_path)) == 0                          # aggregation does not crash on any of them
    st = run('mechdecomp', 'status', '--out', tmp_path, '--profile', 'test')
    assert 'corrupt: 3' in st.stdout and 'checkpoint CE_baseline_seed2: corrupt' in st.stdout, st.stdout
    q = run('mechdecomp', *g, env=ENV)
    assert q.returncode == 0 and '3 trained' in q.stdout, q.stdout
    assert len(load_results(tmp_path)) == 3 and (e/'CE_baseline_seed2'/f'{CHECKPOINT}.corrupt').exists()
