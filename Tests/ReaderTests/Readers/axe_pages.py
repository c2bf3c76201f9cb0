"""Runs axe-core over every page of an edition in headless Chromium, at a
desktop's width (1280 px) and a phone's (360 px), offline.

    python3 axe_pages.py EDITION_FOLDER...

axe.min.js is taken from the PyPI wheel axe-playwright-python (Playwright
itself is never used: it would download a browser); Debian's chromium is
driven by chromium-driver through selenium. Prints `OK N PAGES` and exits 0
when axe reports nothing; otherwise every violation (page, width, rule,
impact, element) and a count by rule, and exits 1.
"""
import collections
import os
import sys

import axe_playwright_python
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = [1280, 360]


def pages(folder):
    names = ["index.html", "definitions.html"]
    chapters = os.path.join(folder, "chapters")
    names += sorted("chapters/" + name for name in os.listdir(chapters) if name.endswith(".html"))
    return [os.path.join(folder, name) for name in names]


def main(folders):
    axe = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"), encoding="utf-8").read()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(120)
    found = []
    checked = 0
    try:
        for folder in folders:
            for page in pages(folder):
                for width in WIDTHS:
                    driver.set_window_size(width, 900)
                    driver.get("file://" + os.path.abspath(page))
                    driver.execute_script(axe)
                    result = driver.execute_async_script(
                        "const done = arguments[arguments.length - 1];"
                        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
                        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: String(e), nodes: []}]));",
                        TAGS)
                    checked += 1
                    shown = os.path.relpath(page, folder)
                    for violation in result:
                        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
                        found.append((shown, width, violation["id"], violation.get("impact"), len(targets), targets[:3]))
    finally:
        driver.quit()
    if not found:
        print(f"OK {checked} PAGES")
        return 0
    for page, width, rule, impact, count, targets in found:
        print(f"{page} @{width}px: {rule} ({impact}) on {count} element(s): {'; '.join(targets)}")
    by_rule = collections.Counter()
    for page, width, rule, impact, count, targets in found:
        by_rule[rule] += count
    print("BY RULE " + ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items())))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
