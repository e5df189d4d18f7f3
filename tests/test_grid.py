"The grid runner under the conditions its users meet: kills, failures, parallel workers, Ray, and crashes mid-write."
import json, os, signal, subprocess, sys, time, textwrap
import pytest
from conftest import run, results, tmp_files, ROOT, BIN, EXP
from mechdecomp.config import grid, RunConfig
from mechdecomp.grid import run_grid

GRID = ['grid', '--profile', 'test', '--conditions', 'CE_baseline', 'Orthogonal_noise', '--lambdas', '0.1', '--seeds', '0', '1', '--quiet']

def test_resume_after_killed_grid(tmp_path):
    cmd = [str(BIN/'mechdecomp'), *GRID, '--out', str(tmp_path), '--workers', '1']
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.time()
    while not results(tmp_path) and time.time() - t0 < 300: time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    time.sleep(3)                                   # an orphaned kernel notices its parent is gone within a second
    before = results(tmp_path)
    assert 1 <= len(before) < 4, before.keys()      # killed part-way
    mtimes = {r: (tmp_path/EXP/r/'result.json').stat().st_mtime_ns for r in before}
    q = run('mechdecomp', *GRID, '--out', tmp_path, '--workers', '1')
    assert q.returncode == 0, q.stderr[-2000:]
    after = results(tmp_path)
    assert sorted(after) == ['CE_baseline_seed0', 'CE_baseline_seed1', 'Orthogonal_noise_lam0.1_seed0', 'Orthogonal_noise_lam0.1_seed1']
    assert all((tmp_path/EXP/r/'result.json').stat().st_mtime_ns == m for r, m in mtimes.items())   # finished runs kept
    assert f"{4 - len(before)} trained, {len(before)} already finished, 0 failed" in q.stdout      # the rest done once
    assert tmp_files(tmp_path) == []
    # runs trained after the restart have their executed notebook; a run killed after writing its result keeps the result
    assert all((tmp_path/EXP/r/'run.ipynb').exists() for r in after if r not in before)

def corrupt_cifar(root):
    "A CIFAR-10 folder whose files are not CIFAR-10: the run fails when it loads its data."
    (root/'cifar-10-batches-py').mkdir(parents=True); (root/'cifar-10-batches-py'/'data_batch_1').write_bytes(b'not CIFAR')
    return root

def test_failing_run_is_recorded_and_the_grid_completes(tmp_path):
    runs = grid('test', conditions=['CE_baseline'], seeds=[0, 1])
    broken = RunConfig.from_profile('test', 'Misaligned_raw', 0.1, 0, dataset='cifar10', data_root=str(corrupt_cifar(tmp_path/'bad')), download=False)
    s = run_grid([runs[0], broken, runs[1]], tmp_path, workers=1, progress=False, log=lambda m: None)
    assert sorted(s['finished']) == ['CE_baseline_seed0', 'CE_baseline_seed1']     # the run after the failure still ran
    assert [r for r, _ in s['failed']] == [broken.run_id]
    d = tmp_path/EXP/broken.run_id
    assert json.loads((d/'error.json').read_text())['ename'] == 'RuntimeError' and (d/'run.failed.ipynb').exists()
    st = run('mechdecomp', 'status', '--out', tmp_path)
    assert 'finished: 2' in st.stdout and 'failed: 1' in st.stdout and 'CIFAR-10 not found or corrupted' in st.stdout

def test_grid_command_exits_nonzero_when_runs_fail(tmp_path):
    p = run('mechdecomp', 'grid', '--profile', 'test', '--conditions', 'CE_baseline', '--seeds', '0', '--dataset', 'cifar10',
            '--data-root', corrupt_cifar(tmp_path/'bad'), '--offline', '--quiet', '--out', tmp_path)
    assert p.returncode == 1
    assert 'FAILED CE_baseline_seed0' in p.stdout and 'CIFAR-10 not found or corrupted' in p.stdout

def test_parallel_workers_run_at_once(tmp_path):
    runs = grid('test', conditions=['Misaligned_raw'], lambdas=[0.1, 0.2], seeds=[0], epochs=3)
    s = run_grid(runs, tmp_path, workers=2, progress=False)
    assert len(s['finished']) == 2
    (a, b) = [(r['started_unix'], r['finished_unix']) for r in results(tmp_path).values()]
    assert a[0] < b[1] and b[0] < a[1], (a, b)      # their training intervals overlap

def test_ray_executor_on_a_local_cluster(tmp_path):
    ray = pytest.importorskip('ray', reason='Ray is part of the dev extras; install mechdecomp[ray]')
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        runs = grid('test', conditions=['CE_baseline', 'LR_matched', 'LR_matched_running'], lambdas=[0.2], seeds=[0])
        s = run_grid(runs, tmp_path, executor='ray', progress=False, log=lambda m: None)   # adds LR_matched_running's source
    finally: ray.shutdown()
    assert sorted(s['finished']) == ['CE_baseline_seed0', 'LR_matched_lam0.2_seed0', 'LR_matched_running_lam0.2_seed0',
                                     'Misaligned_raw_lam0.2_seed0'] and s['failed'] == []
    recs = results(tmp_path)
    src, dep = recs['Misaligned_raw_lam0.2_seed0'], recs['LR_matched_running_lam0.2_seed0']
    assert dep['started_unix'] >= src['finished_unix']                            # submitted only once its source was back
    assert [h['lr'] for h in dep['history']] == pytest.approx([b * h['gmix_norm'] for b, h in zip([0.1, 0.01], src['history'])], rel=1e-12)
    scale = json.loads((tmp_path/EXP/'lr_scales.json').read_text())['scales']['0.2']
    assert recs['LR_matched_lam0.2_seed0']['result']['lr_scale'] == scale           # the driver's measurement reached the task
    assert all((tmp_path/EXP/r/'run.ipynb').exists() for r in recs)                # written by the driver

WRITER = textwrap.dedent('''
    import sys, itertools
    from mechdecomp.store import atomic_write_json
    blob = 'x' * 2_000_000
    for i in itertools.count(): atomic_write_json(sys.argv[1], {'i': i, 'blob': blob, 'end': True})
''')

def test_atomic_writes_survive_kills(tmp_path):
    target = tmp_path/'r'/'result.json'
    for k in range(6):
        p = subprocess.Popen([sys.executable, '-c', WRITER, str(target)])
        time.sleep(0.4 + 0.15 * k)
        p.send_signal(signal.SIGKILL); p.wait()
        rec = json.loads(target.read_text())       # never a partial file
        assert rec['end'] is True and len(rec['blob']) == 2_000_000
    from mechdecomp.store import sweep_tmp
    sweep_tmp(tmp_path)
    assert tmp_files(tmp_path) == []
