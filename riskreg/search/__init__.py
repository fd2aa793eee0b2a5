"""One search across risks, controls, quarterly commentary and reasons, control notes and the
action plan's actions, showing each person only what the pages would (riskreg.visible)."""
