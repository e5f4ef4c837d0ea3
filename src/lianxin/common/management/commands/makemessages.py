"""Django's makemessages, also extracting ``L("...")``: the short alias of gettext_lazy that
column and filter labels use (directory/views.py). Without it those labels would never reach
the English catalog (decision 0002)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=L"]
