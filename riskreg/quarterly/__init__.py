"""The quarterly update and its review: one home for the journey that joins a risk's
assessment (risks) with its controls (controls). Owners update at /risks/<pk>/update/…; the
Planning & Risk Team reviews at /review/…"""
