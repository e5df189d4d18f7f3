"The run notebook as its users call it: papermill from the repository root."
import json
import pytest
from conftest import run, results, ROOT, EXP

def test_users_command_works_as_written(tmp_path):
    # The README's command, plus only an output folder so the checkout stays clean; no output path: the notebook goes to stdout.
    p = run('papermill', 'nbs/run.ipynb', '-p', 'condition', 'Orthogonal_noise', '-p', 'out_dir', tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    nb = json.loads(p.stdout)
    text = ''.join(''.join(o.get('text', '')) for c in nb['cells'] for o in c.get('outputs', []))
    assert "profile='auto' → smoke: no GPU is visible" in text       # it says which profile and why
    rec = results(tmp_path)['Orthogonal_noise_lam0.1_seed0']
    assert rec['status'] == 'finished' and rec['config']['profile'] == 'smoke'
    assert rec['result']['condition'] == 'Orthogonal_noise' and rec['result']['lambda'] == 0.1
    assert 0 <= rec['result']['test_error'] <= 1

def test_output_notebook_path_and_parameters(tmp_path):
    out_nb = tmp_path/'out.ipynb'
    p = run('papermill', 'nbs/run.ipynb', out_nb, '-p', 'condition', 'Misaligned_raw', '-p', 'lam', 0.2, '-p', 'seed', 1,
            '-p', 'profile', 'test', '-p', 'out_dir', tmp_path/'r')
    assert p.returncode == 0, p.stderr[-2000:]
    assert out_nb.exists()
    rec = results(tmp_path/'r')['Misaligned_raw_lam0.2_seed1']
    assert (rec['result']['lambda'], rec['result']['seed'], rec['config']['profile']) == (0.2, 1, 'test')
    assert 0 < rec['result']['avg_gmix_norm'] < 1

def test_help_notebook_documents_every_parameter():
    p = run('papermill', '--help-notebook', 'nbs/run.ipynb')
    assert p.returncode == 0
    for name in ['condition', 'lam', 'seed', 'profile', 'out_dir', 'experiment', 'epochs', 'dataset', 'data_root', 'width',
                 'batch_size', 'device', 'precision', 'force']:
        assert f'  {name}:' in p.stdout
    assert 'mixing weight λ in (0, 1]' in p.stdout

@pytest.mark.parametrize('params,needle', [
    (['-p', 'condition', 'Bogus'], "condition='Bogus'"),
    (['-p', 'condition', 'Misaligned_raw', '-p', 'lam', '1.5'], 'lam=1.5'),
    (['-p', 'condition', 'CE_baseline', '-p', 'lam', '0.2'], 'lam=0.2'),
    (['-p', 'seed', '-1'], 'seed=-1'),
])
def test_bad_parameters_fail_before_training(tmp_path, params, needle):
    out_nb = tmp_path/'out.ipynb'
    p = run('papermill', 'nbs/run.ipynb', out_nb, *params, '-p', 'out_dir', tmp_path/'r')
    assert p.returncode == 1
    assert needle in p.stderr
    nb = json.loads(out_nb.read_text())
    executed = [c for c in nb['cells'] if c['cell_type'] == 'code' and c.get('execution_count')]
    assert not any('rec = execute_run(' in ''.join(c['source']) for c in executed)   # training cell never ran
    assert any('check_run_args(' in ''.join(c['source']) for c in executed)          # the check did run
    assert not (tmp_path/'r').exists()                                         # nothing written
