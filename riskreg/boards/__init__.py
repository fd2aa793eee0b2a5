"""Board summaries (issue 17, item 3): each meeting's summary of significant risks, drawn by the
board's rules (risks.models.Board) from the approved positions of one quarter, plus the risks
its secretariat adds or removes by hand; a one-page view and a PDF with the Audit Panel
report's markings and draft rules, frozen once published."""
