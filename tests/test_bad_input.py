"""Every parameter of the run notebook and every option of the command line, given wrong types, out-of-range values, unknown
names and missing values. Each must fail before anything trains, exit non-zero, name the parameter and what is allowed, and
write nothing. The tables are the record of what was tried."""
import json, pytest
from conftest import run

MIS = ['-p', 'condition', 'Misaligned_raw']
NOTEBOOK = [   # (papermill arguments, text the error must contain)
    # wrong types
    (['-p', 'seed', 'abc'], "seed='abc'"),
    (MIS + ['-p', 'lam', 'high'], "lam='high'"),
    (['-p', 'epochs', '2.5'], 'epochs=2.5'),
    (['-p', 'width', 'wide'], "width='wide'"),
    (['-p', 'batch_size', '1e3'], 'batch_size=1000.0'),
    (['-p', 'force', 'yes'], "force='yes'"),
    (['-p', 'overrides', '3'], 'overrides=3'),
    (['-p', 'condition', '3'], 'condition=3'),
    (['-p', 'data_root', '5'], 'data_root=5'),
    (['-p', 'lr_scale', 'big'], "lr_scale='big'"),
    (['-p', 'run_token', '7'], 'run_token=7'),
    # out of range
    (MIS + ['-p', 'lam', '1.5'], 'lam=1.5'),
    (MIS + ['-p', 'lam', '0'], 'lam=0'),
    (MIS + ['-p', 'lam', '-0.1'], 'lam=-0.1'),
    (['-p', 'seed', '-1'], 'seed=-1'),
    (['-p', 'epochs', '0'], 'epochs=0'),
    (['-p', 'width', '0'], 'width=0'),
    (['-p', 'batch_size', '-4'], 'batch_size=-4'),
    (['-p', 'lr_scale', '-1'], 'lr_scale=-1'),
    (['-y', 'overrides: {noise_rate: 1.0}'], 'noise_rate=1.0'),
    (['-y', 'overrides: {K: 0}'], 'K=0'),
    # unknown names
    (['-p', 'condition', 'Bogus'], "condition='Bogus'"),
    (['-p', 'profile', 'fast'], "profile='fast'"),
    (['-p', 'dataset', 'mnist'], "dataset='mnist'"),
    (['-p', 'device', 'tpu'], "device='tpu'"),
    (['-p', 'precision', 'fp16'], "precision='fp16'"),
    (['-p', 'experiment', 'a/b'], "experiment='a/b'"),
    (['-p', 'epoch', '3'], "Unknown parameter 'epoch'"),
    (['-y', 'overrides: {Kay: 3}'], "Unknown setting 'Kay'"),
    # combinations and missing values
    (['-p', 'condition', 'CE_baseline', '-p', 'lam', '0.2'], 'lam=0.2'),
    (['-p', 'out_dir', ''], "out_dir=''"),
    (['-p', 'seed'], "'-p' requires 2 arguments"),
    # the extended conditions' schedule
    (['-y', 'lr_schedule: [1.0, 1.0]'], 'lr_schedule=[1.0, 1.0] is not allowed: CE_baseline takes no learning-rate schedule'),
    (['-p', 'condition', 'LR_matched_running', '-y', 'lr_schedule: [0.9]'], 'lr_schedule=[0.9] is not allowed: expected None or a list of 12 positive numbers'),
    (['-p', 'condition', 'LR_matched_running', '-p', 'lr_schedule', 'fast'], "lr_schedule='fast'"),
    (['-p', 'condition', 'Normalized_CE', '-p', 'lam', '0.1'], 'lam=0.1 is not allowed: Normalized_CE takes no λ'),
]

@pytest.mark.parametrize('args,needle', NOTEBOOK, ids=[' '.join(a[-2:]) for a, _ in NOTEBOOK])
def test_run_notebook_refuses(tmp_path, args, needle):
    out = tmp_path/'out'
    extra = [] if any(a == 'out_dir' for a in args) else ['-p', 'out_dir', out]
    p = run('papermill', 'nbs/run.ipynb', tmp_path/'nb.ipynb', *extra, *args)     # a missing value comes last
    assert p.returncode != 0
    assert needle in p.stderr, p.stderr[-1500:]
    assert not out.exists()                                               # nothing written
    if (tmp_path/'nb.ipynb').exists():                                    # and the training cell never ran
        nb = json.loads((tmp_path/'nb.ipynb').read_text())
        assert not any('rec = execute_run(' in ''.join(c['source']) and c.get('execution_count') for c in nb['cells'] if c['cell_type'] == 'code')

CLI = [   # (mechdecomp arguments, text the error must contain); OUT is replaced by a fresh folder that must stay absent
    ([], 'the following arguments are required'),
    (['grid', '--bogus'], 'unrecognized arguments: --bogus'),
    (['grid', '--profile', 'huge'], "profile='huge'"),
    (['grid', '--workers', 'two'], "argument --workers: invalid int value: 'two'"),
    (['grid', '--workers', '0'], 'workers=0'),
    (['grid', '--seeds'], 'argument --seeds: expected at least one argument'),
    (['grid', '--seeds', '-1'], 'seeds=-1'),
    (['grid', '--lambdas', '0'], 'lambdas=0'),
    (['grid', '--lambdas', 'x'], "argument --lambdas: invalid float value: 'x'"),
    (['grid', '--conditions', 'Bogus'], "conditions='Bogus'"),
    (['grid', '--executor', 'slurm'], "executor='slurm'"),
    (['grid', '--runs-per-gpu', '0'], 'runs_per_gpu=0'),
    (['grid', '--gpus-per-run', '-1'], 'gpus_per_run=-1'),
    (['grid', '--epochs', '0'], 'epochs=0'),
    (['grid', '--dataset', 'mnist'], "dataset='mnist'"),
    (['grid', '--width', '0'], 'width=0'),
    (['grid', '--batch-size', '0'], 'batch_size=0'),
    (['grid', '--device', 'tpu'], "device='tpu'"),
    (['grid', '--precision', 'fp8'], "precision='fp8'"),
    (['grid', '--experiment', '../x'], "experiment='../x'"),
    (['grid', '--dataset', 'cifar10', '--data-root', 'MISSING', '--offline'], 'data_root='),
    (['grid', '--out', 'FILE/x'], 'out='),
    (['status', '--profile', 'huge'], "profile='huge'"),
    (['report', '--port', '0'], 'port=0'),
    (['report'], 'holds no experiment folder'),
    (['demo', '--lam', '2'], 'lam=2'),
    (['demo', '--profile', 'fast'], "profile='fast'"),
    (['demo', '--seed', 'x'], "argument --seed: invalid int value: 'x'"),
    (['bench', '--device', 'tpu'], "device='tpu'"),
    (['bench', '--steps', '0'], 'steps=0'),
    (['bench', '--concurrency', '0'], 'concurrency=0'),
]

@pytest.mark.parametrize('args,needle', CLI, ids=[' '.join(a) or 'nothing' for a, _ in CLI])
def test_command_line_refuses(tmp_path, capsys, args, needle):
    # In-process (the console script is `sys.exit(main())`; test_cli.py runs the installed script itself): one interpreter, fast.
    from mechdecomp.cli import main
    out = tmp_path/'out'; (tmp_path/'FILE').write_text('a file, not a folder')
    args = [str(tmp_path/a) if a in ('MISSING', 'FILE/x') else a for a in args]
    if args and args[0] in ('grid', 'status', 'report') and '--out' not in args: args += ['--out', str(out)]
    try: code = main(args)
    except SystemExit as e: code = e.code                                 # argparse's own refusals
    o, e = capsys.readouterr()
    assert code != 0
    assert needle in e, e[-1500:]
    assert o == '' and not out.exists()                                   # refused before anything ran or was written
