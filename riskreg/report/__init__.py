"""The Audit Panel report: compose, preview, publish and download it as a PDF.

models.py    Report (riskreg.models exposes it to Django, so its app label stays riskreg)
data.py      everything the report says, built from the period's data (ReportDocument)
text.py      figures as words, {tokens} filled in, section 1's numbered paragraphs
document.py  the report as HTML, for the preview and the PDF; frozen once published
pdf.py       the HTML as a PDF, fetching nothing but the project's own static files
access.py    who may read and who may change a report
forms.py, services.py, views.py, urls.py   the pages under /reports/ (namespace "reports")
Templates: riskreg/templates/riskreg/report/; the PDF's page: templates/pdf/report.html.
"""
