from typing import Any

from django.core.management.base import BaseCommand

from sme.demo.personas import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）— http://127.0.0.1:8000/accounts/login/")
        for p in PERSONAS:
            self.stdout.write(f"  {p.username:<16} 手机 {p.mobile}  {p.description}")
        self.stdout.write("")
