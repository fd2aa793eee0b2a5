# The second quarter's report, closed and ready to publish, as the report tests build it.
from tests.riskreg.report.test_services import fake_pdfs, q3_report  # noqa: F401
