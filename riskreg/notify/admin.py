from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The queue's rows are the workers' bookkeeping, read with `manage.py db_worker` and the logs;
# the admin keeps to the application's own records (and its access tests to their rows).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
