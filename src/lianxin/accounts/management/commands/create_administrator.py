"""Creates one of the three administrators (三员分立) on a new deployment.

The first system administrator cannot be made through the pages (nobody could grant him a
role yet); this command does it from the server's shell, and the audit trail records it as
done by the system:

    manage.py create_administrator --role sysadmin --username admin

The password is asked twice (or read from LIANXIN_ADMIN_PASSWORD for scripted installs) and
must pass the password validators.
"""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lianxin.accounts.models import Role, RoleAssignment, User

ADMIN_ROLES = {
    "sysadmin": Role.SYSTEM_ADMIN,
    "secadmin": Role.SECURITY_ADMIN,
    "auditadmin": Role.AUDIT_ADMIN,
}


class Command(BaseCommand):
    help = "Creates a system, security or audit administrator account with its role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--display-name", default="")

    def handle(self, *args: object, **options: str) -> None:
        username = options["username"].strip()
        role = ADMIN_ROLES[options["role"]]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"account {username!r} exists already")
        password = os.environ.get("LIANXIN_ADMIN_PASSWORD") or self._ask_password()
        user = User(username=username, display_name=options["display_name"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            RoleAssignment.objects.create(user=user, role=role)
        self.stdout.write(f"created {username} as {role.label}")

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
