"""Locust users of bench/load.py (run by it; not on its own). Each user signs in through the real login form
with an account of the province data set (bench/province.py), then requests its pages; API calls carry the
token bench/load.py created. Settings come from the environment bench/load.py passes (``LOAD_*``)."""

from __future__ import annotations

import json
import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TOKENS: dict[str, str] = json.loads(os.environ.get("LOAD_TOKENS", "{}"))
PAGES: list[dict[str, str]] = json.loads(os.environ.get("LOAD_PAGES", "[]"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Signed(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.2)
    username = ""
    role = ""

    def on_start(self) -> None:
        if not self.username:
            return
        page = self.client.get("/accounts/login/", name="login form")
        match = CSRF.search(page.text)
        response = self.client.post("/accounts/login/", name="login",
                                    data={"csrfmiddlewaretoken": match.group(1) if match else "",
                                          "username": self.username, "password": PASSWORD},
                                    headers={"Referer": self.host + "/accounts/login/"}, allow_redirects=False)
        if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
            raise RuntimeError(f"login of {self.username} failed: {response.status_code}")

    def visit(self, page: dict[str, str]) -> None:
        headers = {"Authorization": f"Bearer {TOKENS[page['user']]}"} if page["kind"] == "api" else {}
        with self.client.get(page["url"], name=page["name"], headers=headers, catch_response=True,
                             allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


def _user_class(username: str, role: str) -> type[_Signed]:
    pages = [p for p in PAGES if p["user"] == username]

    def go_round(self: _Signed) -> None:  # each user goes round its pages in order
        self.turn = getattr(self, "turn", -1) + 1
        self.visit(pages[self.turn % len(pages)])

    return type(f"User_{username}", (_Signed,), {
        "username": "" if role == "anonymous" else username,
        "role": role, "weight": len(pages), "tasks": [task(go_round)]})


for _name, _role in sorted({(p["user"], p["role"]) for p in PAGES}):
    globals()[f"User_{_name}"] = _user_class(_name, _role)
