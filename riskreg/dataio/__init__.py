"""Data in and out: registers imported from Excel or CSV, every table page exported to .xlsx
and .csv, and the register printed as a PDF of its own.

It composes the apps (risks, controls, maturity and the report's PDF machinery), so it lives in
the project package. Spreadsheets are read and written with openpyxl (read-only and write-only
modes: a bounded, streaming parse, and defusedxml guarding its XML) and the standard csv module,
rather than django-import-export or tablib: an import here is not a model's rows but a risk's
definition and its quarterly update written through the workflow's services, which
django-import-export's resources would bypass, and tablib loads a whole workbook through
openpyxl without read-only mode, formula checks or a bound on rows.
"""
