"""The GPU check, in one call (`make bench-gpu`): correctness against the CPU, no host sync in the step, then timings.

1. Five steps of every condition (the extended ones too) on the GPU and on the CPU from the same weights and batches (TF32 off): parameters must agree
   to 1e-3 relative (cuDNN sums in another order than the CPU).
2. Three steps of every condition under torch.cuda.set_sync_debug_mode('error'): any host synchronisation inside the step fails.
3. `mechdecomp bench --profile paper` in fp32 and bf16 on a 50,000-image synthetic epoch, with 1, 2 and 4 runs at once.
A table comes last. `--device cpu` runs parts 1 and 3 on the CPU alone (for checking the script, not the GPU; tests/test_gpu_check.py)."""
import argparse, copy, json, sys, time
import torch
from mechdecomp.config import CONDITIONS
from mechdecomp.models import ResNet18
from mechdecomp.train import Trainer
from mechdecomp.data import DeviceLoader
from mechdecomp.bench import synthetic_data, bench, format_bench


def main():
    "Parts 1–3 and the table. A function, so that the benchmark's spawned worker processes can import this file without running it."
    p = argparse.ArgumentParser(); p.add_argument('--device', default='cuda'); p.add_argument('--images', type=int, default=50_000)
    p.add_argument('--json', default='bench-gpu.json')
    p.add_argument('--steps', type=int, default=32, help='timed steps per condition in part 3'); a = p.parse_args()
    dev = torch.device(a.device)
    if dev.type == 'cuda' and not torch.cuda.is_available(): sys.exit('no CUDA device visible')
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    conds = list(CONDITIONS)                      # parts 1 and 2: every condition; part 3 times the seed's five
    rd = synthetic_data(512, 32)
    batches = [b for _, b in zip(range(5), DeviceLoader(rd, 64, 4, 0, 'cpu'))]
    check = {}
    for c in conds:
        if CONDITIONS[c].value == 'gaussian': check[c] = 'skipped: its noise is drawn on the device'; continue
        torch.manual_seed(0); m = ResNet18(width=16)
        lam = 0.2 if CONDITIONS[c].takes_lam else None
        cpu, gpu = Trainer(copy.deepcopy(m), c, lam, K=2), Trainer(copy.deepcopy(m).to(dev), c, lam, K=2)
        for b in batches: cpu.step(*b); gpu.step(*[t.to(dev) for t in b])
        pc = torch.cat([q.detach().flatten() for q in cpu.model.parameters()]); pg = torch.cat([q.detach().flatten().cpu() for q in gpu.model.parameters()])
        check[c] = float((pc - pg).norm() / pc.norm())
    sync = {}
    if dev.type == 'cuda':
        loader = DeviceLoader(synthetic_data(1024, 32), 256, 4, 0, dev)
        for c in conds:
            torch.manual_seed(0); tr = Trainer(ResNet18().to(dev).to(memory_format=torch.channels_last), c, 0.2 if CONDITIONS[c].takes_lam else None)
            it = iter(loader); tr.step(*next(it)); torch.cuda.synchronize()
            torch.cuda.set_sync_debug_mode('error')
            try: tr.step(*next(it)); tr.step(*next(it)); sync[c] = 'no sync'
            except RuntimeError as e: sync[c] = f'SYNC: {e}'
            finally: torch.cuda.set_sync_debug_mode('default')
    t0, results = time.time(), []
    for prec in ('fp32', 'bf16'):
        r = bench('paper' if dev.type == 'cuda' else None, a.device, prec, steps=a.steps, warmup=min(8, a.steps), n_images=a.images,
                  concurrency_levels=(1, 2, 4) if dev.type == 'cuda' else (1,))
        results.append(r); print(format_bench(r)); print()
    json.dump(dict(cpu_vs_device=check, sync=sync, bench=results), open(a.json, 'w'), indent=2, default=str)
    print('device vs CPU after 5 steps (relative parameter difference):')
    for c, v in check.items(): print(f'  {c:<18} {v if isinstance(v, str) else f"{v:.2e}"}   {sync.get(c, "")}')
    print(f"{'precision':<9} {'condition':<18} {'epoch s':>8} {'100 epochs (min)':>17}")
    for r in results:
        for x in r['rows']: print(f"{r['precision']:<9} {x['condition']:<18} {x['epoch_s']:>8.2f} {100*x['epoch_s']/60:>17.1f}")
    for r in results:
        for n, c in r.get('concurrency', {}).items(): print(f"{r['precision']} {n} at once: {c['runs_per_hour']:.1f} runs/hour")
    print(f'bench took {time.time() - t0:.0f} s; numbers in {a.json}')

if __name__ == '__main__': main()
