"The interactive report as a page: Voilà serves it, a real browser changes λ, the table, the verdict and the chart follow."
import os, shutil, socket, subprocess, time, urllib.request
import pytest
from conftest import ROOT, BIN

CHROMIUM = '/usr/bin/chromium'
ARTIFACTS = ROOT/'tests'/'artifacts'

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.fixture
def served(tmp_path):
    from mechdecomp.analysis import make_example_results
    from mechdecomp.cli import voila_command
    exp = make_example_results(tmp_path, extended=True)
    port = free_port()
    cmd, env = voila_command(exp, port)
    log = open(tmp_path/'voila.log', 'w')
    p = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url, t0 = f'http://127.0.0.1:{port}/', time.time()
    while True:
        try: urllib.request.urlopen(url, timeout=2); break
        except Exception:
            if p.poll() is not None or time.time() - t0 > 90: pytest.fail(f"Voilà did not start: {(tmp_path/'voila.log').read_text()[-2000:]}")
            time.sleep(0.5)
    yield url
    os.killpg(p.pid, 15); p.wait(timeout=30); log.close()

def test_report_page_follows_lambda(served):
    if not os.path.exists(CHROMIUM): pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium (.ci/run does) to run the browser test")
    pw = pytest.importorskip('playwright.sync_api', reason='playwright is part of the dev extras')
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                                                                  '--disable-component-update', '--disable-sync', '--no-first-run'])
        page = browser.new_page(viewport={'width': 1300, 'height': 2200})
        page.goto(served, wait_until='commit', timeout=120_000)      # Voilà streams the page while its kernel runs the notebook;
        page.wait_for_selector('.md-table table', timeout=420_000)   # on a loaded 2-core machine that can take minutes
        text = lambda sel: page.inner_text(sel)
        chart = lambda: page.get_attribute('.md-chart img', 'src')
        before = dict(table=text('.md-table'), verdict=text('.md-verdict'), chart=chart(), extended=text('.md-extended'))
        assert 'geometric' in before['verdict'] and '幾何効果' in before['verdict']
        assert 'Can account for the gain: pushing away from the noisy label' in before['extended']      # the extended verdict, beside the seed's
        assert all(c in before['table'] for c in ('Normalized_CE', 'LR_matched_running', 'Orthogonal_cached', 'Uniform_target', 'Anti_label'))
        page.select_option('.md-lam select', label='0.3')
        page.wait_for_function("() => document.querySelector('.md-verdict').innerText.includes('no_improvement')", timeout=60_000)
        page.wait_for_function(f"() => (document.querySelector('.md-chart img') || {{}}).src && document.querySelector('.md-chart img').src !== {before['chart']!r}", timeout=60_000)
        page.wait_for_function("() => document.querySelector('.md-extended').innerText.includes('nothing to explain')", timeout=60_000)
        after = dict(table=text('.md-table'), verdict=text('.md-verdict'), chart=chart(), extended=text('.md-extended'))
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS/'report.png'), full_page=True)
        browser.close()
    assert 'Misalignedによる改善なし' in after['verdict']
    assert after['table'] != before['table'] and '0.3' in after['table'] and '0.1' not in after['table'].replace('0.1000', '')
    assert after['chart'] != before['chart'] and after['chart'].startswith('data:image/png')
