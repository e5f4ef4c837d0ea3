"""Background work of imports (ORG-14): takes the job's primary key (STYLE 8)."""

from celery import shared_task


@shared_task(name="directory.run_import_job", ignore_result=True)
def run_import_job(job_pk: int) -> None:
    from lianxin.directory.exchange.services import import_job_run

    import_job_run(job_pk=job_pk)
