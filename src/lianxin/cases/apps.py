from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"

    def ready(self) -> None:
        from lianxin.audit.registry import watch
        from lianxin.cases import deadlines, reach, sweeps, timeline  # noqa: F401  (registers rules, sweeps, PERF-1)
        from lianxin.cases.models import Category, DeadlineRule, Procedure, ReplyTemplate

        # A congress's configuration is audited like the directory (SEC-4); cases themselves
        # are audited by the workflow, one entry per action.
        for model in (Category, Procedure, DeadlineRule, ReplyTemplate):
            watch(model)
        from lianxin.cases.ledger import CaseLedgerKind
        from lianxin.directory.exchange.kinds import register_kind

        register_kind(CaseLedgerKind())  # CASE-13: the office's existing ledger
