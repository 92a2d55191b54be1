"""Headless Debian Chromium driven through Selenium, for the UI tests: find things by their visible text or aria
role, wait for them (never sleep), and save one screenshot per step under the artifacts folder.

The chromedriver path goes to Selenium's ``Service``: with a driver path Selenium's DriverFinder skips Selenium
Manager altogether (selenium 4.51 ``driver_finder.py``), so nothing is looked up or downloaded; SE_OFFLINE is set
as well in case a future release consults it anyway.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from orc_ai_tests.conftest import REPO, require_or_skip

CHROMIUM = Path(os.environ.get("ORC_AI_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("ORC_AI_CHROMEDRIVER", "/usr/bin/chromedriver"))
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1920,1200",
)


def artifacts_dir(name: str) -> Path:
    """``$ORC_AI_TEST_ARTIFACTS/<name>`` (default ``test-artifacts/<name>`` at the repo root), created empty of
    old screenshots."""
    root = Path(os.environ.get("ORC_AI_TEST_ARTIFACTS") or REPO / "test-artifacts")
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def require_chromium() -> None:
    """Skip (fail in CI, ORC_AI_REQUIRE_SERVICES=1) when Chromium or chromedriver is not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        require_or_skip(f"headless Chromium missing ({', '.join(missing)}): run scripts/setup-chromium")


def xpath_literal(text: str) -> str:
    """``text`` as an XPath 1.0 string literal (XPath has no escapes: quotes are joined with concat())."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def _slug(step: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")


class Browser:
    """One Chromium session: open pages, wait for visible text, click by text or role, take step screenshots."""

    def __init__(self, driver: webdriver.Chrome, shots: Path, timeout_s: float):
        self.driver, self.shots, self.timeout_s = driver, shots, timeout_s
        self._step = 0

    def open(self, url: str) -> None:
        self.driver.get(url)

    def wait(self, condition, message: str, timeout_s: float | None = None):
        """The first truthy value of ``condition(driver)``; on timeout a screenshot and the page's text."""
        try:
            return WebDriverWait(
                self.driver, timeout_s or self.timeout_s, poll_frequency=0.25,
                ignored_exceptions=(StaleElementReferenceException,),
            ).until(condition)
        except TimeoutException:
            self.screenshot(f"timeout {message}")
            body = self.driver.find_element(By.TAG_NAME, "body").text[-3000:]
            raise AssertionError(f"timed out waiting for {message} on {self.driver.current_url}:\n{body}") from None

    def visible(self, xpath: str) -> list[WebElement]:
        return [e for e in self.driver.find_elements(By.XPATH, xpath) if e.is_displayed()]

    def text_xpath(self, text: str, exact: bool = True) -> str:
        """Elements whose own text is (or contains) ``text``."""
        literal = xpath_literal(text)
        test = f"normalize-space(.)={literal}" if exact else f"contains(normalize-space(.), {literal})"
        return f"//*[text()[{test}]]"

    def wait_for_text(self, text: str, exact: bool = True, timeout_s: float | None = None) -> WebElement:
        """The first visible element showing ``text``."""
        xpath = self.text_xpath(text, exact)
        return self.wait(lambda d: next(iter(self.visible(xpath)), None), repr(text), timeout_s)

    def wait_gone(self, text: str, timeout_s: float | None = None) -> None:
        xpath = self.text_xpath(text, exact=False)
        self.wait(lambda d: not self.visible(xpath), f"{text!r} to disappear", timeout_s)

    def role_xpath(self, role: str, name: str) -> str:
        """Elements with aria ``role`` (or the HTML element that has it implicitly) and accessible text ``name``."""
        native = {"button": "self::button", "link": "self::a", "tab": "self::button"}.get(role, "false()")
        literal = xpath_literal(name)
        named = f"(normalize-space(.)={literal} or @aria-label={literal})"
        return f"//*[({native} or @role={xpath_literal(role)}) and {named}]"

    def click_role(self, role: str, name: str, timeout_s: float | None = None) -> None:
        """Click the enabled, visible element of ``role`` named ``name``."""
        xpath = self.role_xpath(role, name)

        def ready(_driver):
            return next((e for e in self.visible(xpath) if e.is_enabled()), None)

        self.wait(ready, f"{role} {name!r}", timeout_s).click()

    def body_text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def screenshot(self, step: str) -> Path:
        """``NN-<step>.png`` in the artifacts folder, numbered in the order taken."""
        self._step += 1
        path = self.shots / f"{self._step:02d}-{_slug(step)}.png"
        self.driver.save_screenshot(str(path))
        return path


@contextmanager
def headless_chromium(profile_dir: Path, shots: Path, timeout_s: float = 60) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile in ``profile_dir``; quit on exit."""
    require_chromium()
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile_dir}"):
        options.add_argument(flag)
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(profile_dir.parent / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield Browser(driver, shots, timeout_s)
    finally:
        driver.quit()
