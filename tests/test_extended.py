"The extended conditions end to end, as a user runs them: `mechdecomp grid --extended`, `status`, `report`, and the run notebook."
import json
import pytest
from conftest import ROOT, EXP, run, results

EXTENDED = ['Normalized_CE', 'LR_matched_running', 'Orthogonal_cached', 'Uniform_target', 'Anti_label']
SEED_FIVE = ['CE_baseline', 'Misaligned_raw', 'Misaligned_renorm', 'LR_matched', 'Orthogonal_noise']

@pytest.fixture(scope='module')
def extended_grid(tmp_path_factory):
    "One λ, one seed, all ten conditions on the test profile, through papermill with two workers."
    out = tmp_path_factory.mktemp('ext')
    p = run('mechdecomp', 'grid', '--profile', 'test', '--extended', '--lambdas', '0.1', '--seeds', '0', '--workers', '2', '--quiet', '--out', out)
    return out, p

def test_extended_grid_runs_every_condition(extended_grid):
    out, p = extended_grid
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    res = results(out)
    assert sorted(r['result']['condition'] for r in res.values()) == sorted(SEED_FIVE + EXTENDED)
    assert all(r['status'] == 'finished' for r in res.values())
    assert '10 trained, 0 already finished, 0 failed' in p.stdout
    # every run's history carries the diagnostics; the evaluation epochs the memorisation probe
    for rid, r in res.items():
        for h in r['history']:
            assert h['gstruct_norm'] > 0 and h['weight_norm'] > 0, rid
            assert 0 <= h['mem_noisy'] <= 1 and 0 <= h['mem_true'] <= 1 and 0 <= h['clean_acc'] <= 1, rid    # test profile: every epoch evaluated
            assert (h['cos'] is None) == (r['result']['condition'] in ('CE_baseline', 'LR_matched', 'Normalized_CE', 'LR_matched_running')), rid

def test_lr_matched_running_follows_its_source(extended_grid):
    out, _ = extended_grid
    src = results(out)['Misaligned_raw_lam0.1_seed0']
    dep = results(out)['LR_matched_running_lam0.1_seed0']
    assert dep['started_unix'] >= src['finished_unix']                       # scheduled after the run it depends on
    base = [0.1, 0.01]                                                         # the test profile's schedule: 2 epochs, milestones at 1 and 2
    assert [h['lr'] for h in dep['history']] == pytest.approx([b * h['gmix_norm'] for b, h in zip(base, src['history'])], rel=1e-12)
    assert dep['result']['lr_scale'] == pytest.approx(sum(h['gmix_norm'] for h in src['history']) / 2, rel=1e-12)

def test_status_counts_the_extended_grid(extended_grid):
    out, _ = extended_grid
    p = run('mechdecomp', 'status', '--out', out)
    assert p.returncode == 0, p.stderr
    assert 'finished: 10' in p.stdout                                          # the test profile's extended grid at its full λ × seed
    assert 'pending: 68' in p.stdout                                           # 78 planned: the rest of the λs and seeds

def test_report_shows_extended_beside_the_seed(extended_grid):
    out, _ = extended_grid
    p = run('mechdecomp', 'report', '--out', out)
    assert p.returncode == 0, p.stderr
    for c in SEED_FIVE + EXTENDED: assert c in p.stdout
    assert 'Extended verdict (which confounds the data rule out):' in p.stdout
    assert 'λ=0.1, test_error: Misaligned_raw − CE_baseline' in p.stdout and 'Undecided (fewer than 5 seeds in a cell)' in p.stdout
    exp = out/EXP
    figures = sorted(f.name for f in (exp/'figures').iterdir())
    assert 'dose_response.png' in figures and 'memorisation_lam0.1.png' in figures
    html = (exp/'report.html').read_text()
    assert 'Extended verdict' in html and 'Dose-response' in html and 'Memorisation' in html
    recs = json.loads((exp/'results.json').read_text())
    assert sorted(r['condition'] for r in recs) == sorted(SEED_FIVE + EXTENDED)

def test_run_notebook_refuses_running_without_source(tmp_path):
    p = run('papermill', ROOT/'nbs'/'run.ipynb', tmp_path/'o.ipynb', '-p', 'condition', 'LR_matched_running', '-p', 'profile', 'test',
            '-p', 'out_dir', tmp_path/'runs', '--cwd', ROOT/'nbs')
    assert p.returncode != 0
    assert 'needs the finished run Misaligned_raw_lam0.1_seed0' in p.stderr
    assert not (tmp_path/'runs'/EXP/'LR_matched_running_lam0.1_seed0').exists()   # refused before anything was written
