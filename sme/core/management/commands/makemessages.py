"""``makemessages`` that also collects ``msg("…")`` (sme.core.messages), the stored-message marker."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=msg"]
