"""Known words of one language that must not appear on a page shown in the other (issue 19).

Common function words and the app's own vocabulary; chosen so that none is also a Danish word
(or an English one): 'to' is Danish for two and 'for' and 'by' are Danish words, so an English 'to'
is caught only between two numbers ('1.2 to 3.4'). Identifiers such as ``baseline_standard`` do not count: an underscore joins
words, so ``\\bbaseline\\b`` does not match inside it.
"""
from __future__ import annotations

import re

ENGLISH = ["the", "and", "with", "of", "from", "is", "are", "not", "more", "fewer", "N to N",
           "returns", "citizens", "weeks", "week", "share", "baseline", "replications", "changes",
           "difference", "differences", "trial", "evidence", "outcomes", "benefit", "waiting", "caseload",
           "treatment", "Compare", "Download", "Run", "Scenario", "Results", "Done", "Cancel",
           "Back", "work", "Mean", "within", "assumed", "no outcome data", "randomised", "Simulating",
           "DKK", "years", "year", "monitoring", "Caveat", "percentage points"]
DANISH = ["og", "N til N", "med", "af", "for at", "ikke", "efter", "borgere", "uger", "gentagelser", "andel",
          "forskel", "mod", "basis", "Sammenlign", "Hent", "Kør", "Resultater", "Færdig", "raskmeldt",
          "sygedagpenge", "gennemsnit", "evidensgrundlag", "lodtrukket", "mio. kr.", "procentpoint", "år",
          "Forbehold", "ventetid", "behandling"]


def found(words: list[str], text: str) -> list[str]:
    """The words of the list that occur in ``text`` as whole words (case as given; 'the' also as 'The')."""
    hits = []
    for w in words:
        if w.startswith("N "):   # an interval in words: '1.2 to 3.4', '95%: 1,2 til 3,4'
            if re.search(rf"\d%?( pp\.?)? {w[2:-2]} [-+]?\d", text):
                hits.append(w)
            continue
        variants = {w, w[0].upper() + w[1:]} if w.islower() else {w}
        if any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in variants):
            hits.append(w)
    return hits
