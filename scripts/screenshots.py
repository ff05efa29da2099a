"""Start the app, drive it in headless Chromium, save a screenshot of every page and time it.

    .venv/bin/python scripts/screenshots.py                 # docs/img/app_*.png, English, 20 replications
    .venv/bin/python scripts/screenshots.py --lang da --out /tmp/shots --reps 5

Also measures what the issue asks to report: seconds from start-up until the first page is
interactive, and seconds from pressing "Compare" on the default comparison until its numbers show.
The e2e test (tests/e2e) uses the same helpers. Needs /usr/bin/chromium
(scripts/install_browser.sh) and the ``playwright`` package; never ``playwright install``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["home", "explorer", "compare", "investment", "calibration", "sensitivity"]
# What marks each page as drawn: the page's header, in either language (labels from app_pages/i18n.py).
sys.path.insert(0, str(ROOT))
from app_pages.i18n import LABELS  # noqa: E402


def header(name: str, lang: str = "en") -> str:
    return LABELS["app_title" if name == "home" else f"page_{name}"][lang]


HEADERS = {name: header(name) for name in PAGES}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(port: int | None = None, log: Path | None = None) -> Iterator[tuple[str, float]]:
    """``streamlit run app.py`` on 127.0.0.1; yields (base URL, start time from perf_counter)."""
    port = port or free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit) if streamlit.exists() else sys.executable, *([] if streamlit.exists() else ["-m", "streamlit"]),
           "run", str(ROOT / "app.py"), "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    out = open(log, "w") if log else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        yield f"http://127.0.0.1:{port}", start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def wait_healthy(base: str, timeout_s: float = 60.0) -> None:
    """Poll Streamlit's health endpoint until the server answers."""
    import urllib.request
    deadline = time.perf_counter() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                return
        except Exception:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.02)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_page(page, url: str, header: str, timeout_s: float = 60.0) -> None:
    """Go to ``url`` (retrying while the server starts) and wait until the page header is drawn."""
    deadline = time.perf_counter() + timeout_s
    while True:
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=10_000)
            break
        except Exception:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.1)
    page.get_by_role("heading", name=header).first.wait_for(state="visible", timeout=timeout_s * 1000)


def set_number(page, label: str, value: int) -> None:
    box = page.locator(f'input[aria-label="{label}"]').first
    box.fill(str(value))
    box.press("Enter")
    page.wait_for_timeout(300)


def select_option(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (Streamlit draws it as a combobox and a listbox)."""
    page.locator(f'[data-testid="stSelectbox"]:has(label:has-text("{label}"))').first.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    page.wait_for_timeout(300)


def wait_idle(page, timeout_s: float = 120.0) -> None:
    """Wait until Streamlit has finished the current script run (the 'running' status goes away)."""
    page.wait_for_timeout(200)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=timeout_s * 1000)


def run_explorer(page, reps: int) -> None:
    set_number(page, "Replications", reps)
    page.get_by_role("button", name="Run simulation").click()
    page.get_by_text("Results for").first.wait_for(timeout=180_000)
    wait_idle(page)


def run_compare(page, reps: int, lang: str = "en") -> float:
    """Run the default comparison; seconds from the click until the summary shows."""
    set_number(page, LABELS["reps"][lang], reps)
    wait_idle(page)
    t0 = time.perf_counter()
    page.get_by_role("button", name=LABELS["compare_run"][lang], exact=True).click()
    page.locator(".st-key-cmp_summary_copenhagen_ibbis").wait_for(timeout=300_000)
    seconds = time.perf_counter() - t0
    wait_idle(page)
    return seconds


def show_sensitivity(page) -> None:
    """Open the first stored study, or run the small default Morris study when none is stored."""
    if page.get_by_role("button", name="Open study").is_enabled():
        page.get_by_role("button", name="Open study").click()
    else:
        page.get_by_text("Run a small study").first.click()
        page.get_by_role("button", name="Start study").click()
    page.get_by_text("Sensitivity indices").first.wait_for(timeout=300_000)
    wait_idle(page)


def shoot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # let plotly finish its transitions
    page.evaluate("document.querySelectorAll('[data-testid=stMain], section.main').forEach(e => e.scrollTo(0, 0))")
    page.wait_for_timeout(200)
    page.screenshot(path=str(path), full_page=True)


def capture(out_dir: Path, lang: str = "en", reps: int = 20, prefix: str = "app_", log: Path | None = None) -> dict:
    """Screenshots of every page into ``out_dir``; returns the timings (seconds)."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, float] = {}
    with app_server(log=log) as (base, start), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        wait_healthy(base)
        open_page(page, f"{base}/?lang={lang}", header("home", lang))
        page.locator('[data-testid="stPageLink"]').first.wait_for()
        timings["first_page_interactive_s"] = time.perf_counter() - start
        page.locator('[data-testid="stPageLink"]').first.click()   # to the explorer, as a planner would
        page.get_by_role("button", name="Run simulation" if lang == "en" else "Kør simulation").wait_for(timeout=120_000)
        timings["explorer_interactive_s"] = time.perf_counter() - start
        wait_idle(page)
        open_page(page, f"{base}/?lang={lang}", header("home", lang))
        shoot(page, out_dir / f"{prefix}home.png")
        # The comparison first, on a cold cache (both scenarios simulated), then the explorer on one of the
        # same scenarios, which the cache serves at once.
        for name in ["compare", "explorer", *PAGES[3:]]:
            open_page(page, f"{base}/{name}?lang={lang}", header(name, lang))
            wait_idle(page)
            if name == "explorer" and lang == "en":
                t0 = time.perf_counter()
                run_explorer(page, reps)
                timings[f"explorer_{reps}_reps_from_cache_s"] = time.perf_counter() - t0
            if name == "compare" and lang == "en":
                timings[f"compare_{reps}_reps_cold_s"] = run_compare(page, reps)
            if name == "investment" and lang == "en":
                set_number(page, "Replications", min(reps, 10))
                wait_idle(page)
                t0 = time.perf_counter()
                page.get_by_role("button", name="Compute the budget effect").click()
                page.get_by_text("Budget effect by year").first.wait_for(timeout=300_000)
                timings[f"investment_{min(reps, 10)}_reps_s"] = time.perf_counter() - t0
                wait_idle(page)
            if name == "sensitivity" and lang == "en":
                show_sensitivity(page)
            shoot(page, out_dir / f"{prefix}{name}.png")
        browser.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    ap.add_argument("--lang", default="en", choices=["en", "da"])
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    timings = capture(out, args.lang, args.reps)
    print(json.dumps({k: round(v, 2) for k, v in timings.items()}, indent=2))
    for f in sorted(out.glob("app_*.png")):
        print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
