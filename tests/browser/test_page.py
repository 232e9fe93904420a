"""The doctor's page, end to end: real samples ingested with e5, the real app under uvicorn, headless Chromium.

One sample patient is chosen from data/samples/truth.jsonl (the one with the most cardiology documents);
a subset of its documents (latest cardiology reports, the latest of every other type,
some administrative papers, duplicates) is copied into tmp and ingested, so the file runs in a minute or two. Screenshots go to
artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.auth import headers_for

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
TRUTH = SAMPLES / "truth.jsonl"
QUERIES = ROOT / "eval" / "queries" / "samples.jsonl"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CARDIOLOGY = {"SM04", "SM73", "SM79", "SM80", "SM81"}
QUESTION = "dernier compte rendu de cardiologie"
CARDIOLOGY_KEPT = 4
NOISE_KEPT = 3

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not TRUTH.exists(), reason="data/samples/truth.jsonl is missing"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _choose_patient() -> dict:
    """The sample patient to drive the page with, and what the page must show for it."""
    truth = _jsonl(TRUTH)
    by_patient: dict[str, list[dict]] = {}
    for row in truth:
        by_patient.setdefault(row["patient"], []).append(row)

    def cardiology(rows):
        return [r for r in rows if r["specialty_code"] in CARDIOLOGY and not r["is_noise"] and not r.get("duplicate_of")
                and r["service_date"]]

    eligible = [pid for pid, rows in by_patient.items() if cardiology(rows)]
    assert eligible, "no sample patient has a cardiology document"
    pid = max(eligible, key=lambda p: len(cardiology(by_patient[p])))
    rows = by_patient[pid]
    cardio = cardiology(rows)
    latest = max(r["service_date"] for r in cardio)
    # A subset keeps ingestion short: the latest cardiology documents, the latest text document of every
    # other type (scanned ones would need OCR), a few administrative papers and the duplicates of what is kept.
    keep = {r["source"] for r in sorted(cardio, key=lambda r: r["service_date"])[-CARDIOLOGY_KEPT:]}
    latest_of_type: dict[str, dict] = {}
    for r in rows:
        if not r["is_noise"] and not r.get("scanned") and r["service_date"] and r["service_date"] >= latest_of_type.get(
                r["type_code"], {"service_date": ""})["service_date"]:
            latest_of_type[r["type_code"]] = r
    keep |= {r["source"] for r in latest_of_type.values()}
    keep |= {r["source"] for r in [r for r in rows if r["is_noise"] and not r.get("duplicate_of")
                                   and not r.get("scanned")][:NOISE_KEPT]}
    keep |= {r["source"] for r in rows if r.get("duplicate_of") in keep}
    no_answer = [q["query"] for q in _jsonl(QUERIES) if q["patient"] == pid and q["kind"] == "no-answer"
                 and q["lang"] == "fr"] if QUERIES.exists() else []
    return {
        "id": pid,
        "sources": sorted(keep),
        # Two documents of the same day are equally "the latest": either is right.
        "expected_sources": {r["source"] for r in cardio if r["service_date"] == latest},
        "no_answer": no_answer[0] if no_answer else "dernier compte rendu de psychiatrie de 1990",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def patient() -> dict:
    return _choose_patient()


@pytest.fixture(scope="module")
def server(tmp_path_factory, patient):
    import uvicorn

    from api.app import create_app
    from carnet.config import Settings
    from service.facade import Carnet
    from ingest.pipeline import discover

    tmp = tmp_path_factory.mktemp("page")
    corpus = tmp / "samples"
    for source in patient["sources"]:
        (corpus / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / source, corpus / source)
    settings = Settings(home=tmp / "home", embedder="e5")
    started = time.perf_counter()
    report = Carnet(settings).ingestor.ingest(discover(corpus))
    assert report.added and not report.failed, report.as_dict()
    print(f"\ningested {len(report.added)} documents of {patient['id']} in {time.perf_counter() - started:.1f} s")

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                if json.load(r)["status"] == "ok":
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the app did not answer /healthz within 60 s"
        time.sleep(0.1)
    # The doctor signs in with a link, as `make run` prints one: a practitioner granted this patient.
    token = headers_for(settings, "dr-page", [patient["id"]])["Authorization"].removeprefix("Bearer ")
    outsider = headers_for(settings, "dr-outside")["Authorization"].removeprefix("Bearer ")  # in no care team
    yield {"base": base, "token": token, "headers": {"Authorization": f"Bearer {token}"}, "outsider": outsider}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server['base']}/#token={server['token']}")
    page.wait_for_selector("#sign-out:not([hidden])")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def pick_patient(page, pid: str) -> None:
    page.click("#patient-search")
    page.fill("#patient-search", pid)
    page.locator(f"#patient-options .picker-option[data-id='{pid}']").click()
    page.wait_for_selector("#side[data-ready]")  # the record's history is loaded


def ask(page, question: str) -> float:
    """Type a question, press Enter, wait for the answer on screen; return the page's Enter-to-result time."""
    before = page.evaluate("window.carnetAskCount")
    page.fill("#question", question)
    page.press("#question", "Enter")
    page.wait_for_function(f"() => window.carnetAskCount > {before}")  # a function: the CSP forbids eval
    return page.evaluate("window.carnetLastAskMs")


def test_question_box_is_focused_on_load(page):
    assert page.evaluate("document.activeElement.id") == "question"
    assert page.locator("html").get_attribute("lang") == "fr"


def test_latest_cardiology_report_comes_first_and_opens(page, patient, server, capsys):
    pick_patient(page, patient["id"])
    assert page.evaluate("document.activeElement.id") == "question"
    assert f"#patient={patient['id']}" in page.url

    ms = ask(page, QUESTION)
    first = page.locator("#results .card").first
    assert first.get_attribute("data-source") in patient["expected_sources"]
    chips = page.locator("#chips .chip")
    assert chips.count() >= 1
    assert page.locator("#elapsed").inner_text().strip() == f"{ms} ms"
    page.screenshot(path=str(SHOTS / "answer.png"))
    with capsys.disabled():
        print(f"\nEnter-to-first-result ({QUESTION!r}): {ms} ms (window.carnetLastAskMs)")

    # The card's date is dd/mm/yyyy and its snippet highlights words of the question.
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", first.locator(".card-date").inner_text().strip())

    # The link opens the PDF at the cited page, in a new tab.
    link = first.locator("a.card-open")
    href = link.get_attribute("href")
    assert re.fullmatch(r"/v1/documents/[0-9a-f]+/pdf#page=\d+", href), href
    assert link.get_attribute("target") == "_blank"
    assert page.request.get(server["base"] + href.split("#")[0]).status == 401  # not without the token
    response = page.request.get(server["base"] + href.split("#")[0], headers=server["headers"])
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"
    with page.context.expect_page() as opened:  # a click fetches it with the token and shows it from a blob
        link.click()
    opened.value.wait_for_url(re.compile(r"^blob:http://127\.0\.0\.1:\d+/[0-9a-f-]+#page=\d+$"))
    opened.value.close()

    # Summary citations open PDFs at a page too.
    for citation in page.locator(".summary a.citation").all():
        assert re.fullmatch(r"/v1/documents/[0-9a-f]+/pdf#page=\d+", citation.get_attribute("href"))


def test_keyboard_moves_between_cards_and_opens_the_pdf(page, patient):
    pick_patient(page, patient["id"])
    ask(page, QUESTION)
    cards = page.locator("#results .card")
    assert cards.count() >= 1
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.id") == cards.nth(0).get_attribute("data-id")
    if cards.count() > 1:
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.id") == cards.nth(1).get_attribute("data-id")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.dataset.id") == cards.nth(0).get_attribute("data-id")
    page.screenshot(path=str(SHOTS / "keyboard.png"))

    # "o" on a focused card opens its PDF at the cited page in a new tab.
    with page.context.expect_page() as opened:
        page.keyboard.press("o")
    opened.value.wait_for_url(re.compile(r"^blob:.*#page=\d+$"))
    opened.value.close()

    # "/" goes back to the question; Escape clears the question and the results.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.press("Escape")
    assert page.input_value("#question") == ""
    assert page.locator("#results .card").count() == 0


def test_removing_a_chip_widens_the_search(page, patient):
    pick_patient(page, patient["id"])
    ask(page, QUESTION)
    before_chips = [c.get_attribute("data-value") for c in page.locator("#chips .chip").all()]
    before_cards = [c.get_attribute("data-id") for c in page.locator("#results .card").all()]
    removed = page.locator("#chips .chip").first
    removed_value = removed.get_attribute("data-value")
    count = page.evaluate("window.carnetAskCount")
    removed.locator(".chip-remove").click()
    page.wait_for_function(f"() => window.carnetAskCount > {count}")
    after_chips = [c.get_attribute("data-value") for c in page.locator("#chips .chip").all()]
    after_cards = [c.get_attribute("data-id") for c in page.locator("#results .card").all()]
    assert removed_value not in after_chips or after_cards != before_cards, (before_chips, after_chips)
    assert page.locator("#widened").is_visible()
    page.screenshot(path=str(SHOTS / "chip-removed.png"))


def test_an_ambiguous_abbreviation_says_how_it_was_read_and_offers_the_others(page, patient, server):
    pick_patient(page, patient["id"])
    ask(page, "dernier MG")
    served = page.request.post(f"{server['base']}/v1/patients/{patient['id']}/ask", headers=server["headers"],
                               data={"question": "dernier MG", "summary": False}).json()["interpretation"]
    (how,) = served["ambiguity"]
    box = page.locator("#ambiguity .ambiguity")
    assert box.count() == 1 and how["message"] in box.inner_text()
    # an ambiguous one offers each other reading in one click; one the record decided says why, no buttons
    assert box.locator(".ambiguity-choice").count() == (len(how["readings"]) - 1 if how["ambiguous"] else 0)
    page.screenshot(path=str(SHOTS / "ambiguity.png"))
    count = page.evaluate("window.carnetAskCount")
    other = next(r for r in how["readings"] if not r["chosen"])
    page.locator(f"#chips .chip-alternative[data-value='{other['value']}']").click()
    page.wait_for_function(f"() => window.carnetAskCount > {count}")
    labels = [c.inner_text() for c in page.locator("#chips .chip-reading .chip-label").all()]
    assert f"MG → {other['label']}" in labels, labels
    assert page.locator("#ambiguity").is_hidden()  # the doctor decided: nothing left to say


def test_no_answer_is_said_plainly_with_the_closest_documents_apart(page, patient):
    pick_patient(page, patient["id"])
    ask(page, patient["no_answer"])
    message = page.locator(".no-match")
    assert message.is_visible()
    assert "Aucun document de ce dossier ne répond à cette question" in message.inner_text()
    assert page.locator("#results > .cards .card").count() == 0  # nothing presented as an answer
    if page.locator(".alternatives .card").count():
        heading = page.locator("#alternatives-heading").text_content()
        assert heading == "Documents proches (ne correspondent pas à tous les critères)"
    page.screenshot(path=str(SHOTS / "no-answer.png"))


def test_reload_keeps_the_patient_and_shows_the_record_history(page, patient, server):
    page.goto(f"{server['base']}/#token={server['token']}&patient={patient['id']}")
    page.wait_for_selector("#side[data-ready]")
    assert "token" not in page.url  # the sign-in link's token left the address bar at once
    page.reload()
    # The token lived in the page's memory only: after a reload the doctor signs in again (pasting the link)
    # and the patient comes back from the URL.
    page.wait_for_selector("#sign-in:not([hidden])")
    page.fill("#sign-in-token", f"{server['base']}/#token={server['token']}")
    page.press("#sign-in-token", "Enter")
    page.wait_for_selector("#side[data-ready]")
    assert patient["id"] in page.locator("#patient-banner").inner_text()
    assert page.evaluate("document.activeElement.id") == "question"
    page.click("#tab-timeline")
    assert page.locator("#timeline .tl-group").first.is_visible()
    visible = page.locator("#timeline .tl-groups .tl-doc").count()
    toggle = page.locator(".tl-toggle")
    if toggle.count():  # administrative papers and duplicates are folded away until asked for
        hidden_before = page.locator(".tl-hidden").count()
        toggle.click()
        assert hidden_before == 0 and page.locator(".tl-hidden .tl-doc").count() >= 1
    assert page.locator("#timeline .tl-groups .tl-doc").count() == visible  # only the folded ones appeared
    page.screenshot(path=str(SHOTS / "record.png"), full_page=True)


def test_patient_synthesis_with_lab_trend_plots(page, patient, server):
    request = urllib.request.Request(f"{server['base']}/v1/patients/{patient['id']}/summary", headers=server["headers"])
    with urllib.request.urlopen(request, timeout=10) as r:
        synthesis = json.load(r)
    pick_patient(page, patient["id"])
    assert page.locator("#tab-synthesis").is_visible()
    assert page.locator("#synthesis").is_visible()  # the synthesis is the side panel's first tab
    if synthesis.get("labs"):
        page.locator("#synthesis .lab-name").first.click()
        page.wait_for_function("() => { const img = document.querySelector('#synthesis .lab-plot');"
                               " return img && img.complete && img.naturalWidth > 0; }")
    page.screenshot(path=str(SHOTS / "synthesis.png"))


def test_english_switch(page, patient):
    pick_patient(page, patient["id"])
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#ask-button").inner_text().strip() == "Search"
    ask(page, patient["no_answer"])
    assert "No document in this record answers this question" in page.locator(".no-match").inner_text()
    page.screenshot(path=str(SHOTS / "english.png"))
    page.click("#lang-switch")
    assert page.locator("#ask-button").inner_text().strip() == "Rechercher"


def test_break_glass_opens_a_patient_outside_the_care_team_then_sign_out(browser, server, patient):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{server['base']}/#token={server['outsider']}")
    page.wait_for_selector("#sign-out:not([hidden])")
    assert page.locator(".directory-item").count() == 0  # no patient in this practitioner's care team
    page.click("#patient-search")
    page.fill("#patient-search", patient["id"])
    offer = page.locator(f".break-glass-offer[data-break-glass='{patient['id']}']")
    page.once("dialog", lambda d: d.accept("Patient inconscient aux urgences"))
    offer.click()
    page.wait_for_selector("#side[data-ready]")
    banner = page.locator("#break-glass-banner")
    assert banner.is_visible() and "Patient inconscient aux urgences" in banner.inner_text()
    ask(page, QUESTION)  # the window stays open for the next requests, without the header
    assert page.locator("#results .card").count() >= 1
    page.screenshot(path=str(SHOTS / "break-glass.png"))
    page.click("#sign-out")
    assert page.locator("#sign-in").is_visible() and not page.locator("main.layout").is_visible()
    context.close()
